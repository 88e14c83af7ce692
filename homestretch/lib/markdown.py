"""Markdown to safe HTML, for articles (staff) and comments (anyone).

Both renderers escape raw HTML in the source (markdown-it's `html=False`), and then pass
the output through nh3 with an allowlist: the sanitizer is the guarantee, the Markdown
settings only keep the output tidy. Neither lets a URL scheme other than http, https and
mailto through.
"""

import math
import re
from dataclasses import dataclass

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

_SCHEMES = {"http", "https", "mailto"}
# Web addresses, whether written as a Markdown link or bare ("www." not already in a URL).
_LINK = re.compile(r"(?:https?://|(?<![/\w.])www\.)[^\s<>()\[\]]*", re.IGNORECASE)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class RenderedArticle:
    html: str
    toc: list[Heading]
    reading_minutes: int


# Comments: emphasis, links, lists, quotes and code, nothing else.
_comment_md = MarkdownIt("zero", {"html": False, "breaks": True}).enable(
    ["emphasis", "link", "list", "blockquote", "backticks", "fence", "code", "newline", "escape"]
)
_comment_cleaner = nh3.Cleaner(
    tags={"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre"},
    attributes={"a": {"href"}},
    url_schemes=_SCHEMES,
    link_rel="nofollow ugc noopener",
)


def render_comment(source: str) -> str:
    return _comment_cleaner.clean(_comment_md.render(source))


def find_links(source: str) -> list[str]:
    """The web addresses in a comment's source, bare ones included."""
    return [url.rstrip(".,;:!?'\"") for url in _LINK.findall(source)]


def count_links(source: str) -> int:
    return len(find_links(source))


def _anchor(text: str) -> str:
    # A prefix keeps heading ids apart from the page's own (no DOM clobbering by a title).
    return "h-" + (slugify(text) or "section")


def _demote_h1(md: MarkdownIt) -> None:
    """The page title is the only <h1>; a `#` heading in the body becomes an <h2>."""

    def rule(state: object) -> None:
        for token in state.tokens:  # type: ignore[attr-defined]
            if token.type in ("heading_open", "heading_close") and token.tag == "h1":
                token.tag = "h2"

    md.core.ruler.push("demote_h1", rule)


_article_md = (
    MarkdownIt("commonmark", {"html": False, "typographer": True})
    .enable(["table", "strikethrough", "replacements", "smartquotes"])
    .use(_demote_h1)
    .use(anchors_plugin, min_level=2, max_level=3, slug_func=_anchor)
)
_article_cleaner = nh3.Cleaner(
    tags={
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "em",
        "strong",
        "s",
        "a",
        "img",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    },
    attributes={
        "a": {"href", "title"},
        "img": {"src", "alt", "title"},
        "h2": {"id"},
        "h3": {"id"},
        "ol": {"start"},
    },
    url_schemes=_SCHEMES,
)


def _toc(tokens: list[Token]) -> list[Heading]:
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h2", "h3"):
            anchor = str(token.attrs.get("id", ""))
            text = tokens[index + 1].content
            if anchor:
                headings.append(Heading(level=int(token.tag[1]), text=text, anchor=anchor))
    return headings


def render_article(source: str) -> RenderedArticle:
    env: dict[str, object] = {}
    tokens = _article_md.parse(source, env)
    html = _article_cleaner.clean(_article_md.renderer.render(tokens, _article_md.options, env))
    words = len(_WORD.findall(source))
    return RenderedArticle(
        html=html, toc=_toc(tokens), reading_minutes=max(1, math.ceil(words / 200))
    )
