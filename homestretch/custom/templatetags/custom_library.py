"""The library's list and search hold the published custom sequences through these tags
(`{% load custom_library %}`), so the library does not import the custom app (which stands
above it): `{% custom_in_library_entries form as custom_entries %}` finds them (so the
results' count and "nothing matches" can count them too), and
`{% custom_in_library form custom_entries %}` shows them."""

from typing import Any

from django import forms, template

from homestretch.custom.library import Published, published

register = template.Library()


@register.simple_tag
def custom_in_library_entries(form: forms.Form) -> list[Published]:
    """The published custom sequences the library's filter form (bound and valid, or
    unbound for the whole list) lets through."""
    if form.is_bound and not form.is_valid():
        return []
    data: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    focus, equipment = data.get("focus"), data.get("equipment")
    return published(
        query=data.get("q") or "",
        focus=focus.slug if focus else "",
        level=data.get("level") or "",
        equipment=equipment.slug if equipment else "",
        max_minutes=data.get("max_minutes"),
    )


@register.inclusion_tag("custom/_in_library.html")
def custom_in_library(form: forms.Form, entries: list[Published] | None = None) -> dict[str, Any]:
    """Those entries (found again unless given), in the list or among the results."""
    if entries is None:
        entries = custom_in_library_entries(form)
    valid = form.is_bound and form.is_valid()
    query = (form.cleaned_data.get("q") or "") if valid else ""
    return {"entries": entries, "filtered": form.is_bound, "query": query}
