"""The library's list and search hold the published custom sequences through this tag
(`{% load custom_library %}{% custom_in_library form %}`), so the library does not import
the custom app (which stands above it)."""

from typing import Any

from django import forms, template

from homestretch.custom.library import published

register = template.Library()


@register.inclusion_tag("custom/_in_library.html")
def custom_in_library(form: forms.Form) -> dict[str, Any]:
    """The published custom sequences the library's filter form (bound and valid, or
    unbound for the whole list) lets through."""
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        return {"entries": [], "filtered": True}
    focus, equipment = data.get("focus"), data.get("equipment")
    entries = published(
        query=data.get("q") or "",
        focus=focus.slug if focus else "",
        level=data.get("level") or "",
        equipment=equipment.slug if equipment else "",
        max_minutes=data.get("max_minutes"),
    )
    return {"entries": entries, "filtered": form.is_bound, "query": data.get("q") or ""}
