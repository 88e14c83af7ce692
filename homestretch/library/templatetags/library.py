from django import template

register = template.Library()


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
