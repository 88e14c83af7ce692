import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from homestretch.library.search import words

register = template.Library()
SNIPPET = 140


@register.filter
def clock(seconds: float | int | None) -> str:
    """90 -> '1:30', 3725 -> '1:02:05'."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key)


@register.filter
def highlight(text: str, query: str) -> str:
    """The text, escaped, around its first query word (a long description is cut to a
    snippet), with each word that begins with a query word in <mark>."""
    terms = words(query)
    if not terms:
        return escape(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.I)
    first = pattern.search(text)
    if first and len(text) > SNIPPET:
        start = max(first.start() - SNIPPET // 3, 0)
        end = min(start + SNIPPET, len(text))
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped above)


@register.filter
def minutes(seconds: float | int | None) -> int:
    """Whole minutes, at least 1 once anything has been watched: "12 of 30 min"."""
    return max(round((seconds or 0) / 60), 1 if seconds else 0)
