import math
from typing import Any

from django import forms

from homestretch.finder.models import LANGUAGES, CredentialType, Specialty
from homestretch.finder.search import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, clamp_radius, resolve_centre


class SearchForm(forms.Form):
    """The finder's query string. Bad coordinates are form errors; the radius is clamped.
    `cleaned_data["centre"]` is the search's centre (`resolve_centre`), None without one."""

    near = forms.CharField(
        label="Place",
        max_length=100,
        required=False,
        help_text="A town or city. Add the country for another of that name: “London, Canada”.",
        widget=forms.TextInput(attrs={"aria-describedby": "near-help"}),
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    radius = forms.CharField(label="Within (km)", required=False)
    badge = forms.ChoiceField(label="Badge", required=False)
    specialty = forms.ChoiceField(
        label="Specialty", required=False, choices=[("", "Any"), *Specialty.choices]
    )
    language = forms.ChoiceField(
        label="Language", required=False, choices=[("", "Any"), *LANGUAGES.items()]
    )
    online = forms.BooleanField(label="Teaches online", required=False)

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country = country
        self.radius_note = ""
        badge = self.fields["badge"]
        assert isinstance(badge, forms.ChoiceField)
        badge.choices = [
            ("", "Any"),
            *((t.code, f"{t.code} · {t.name}") for t in CredentialType.objects.all()),
        ]

    def clean_radius(self) -> float:
        text = (self.cleaned_data.get("radius") or "").strip()
        if not text:
            return DEFAULT_RADIUS_KM
        try:
            radius = float(text)
        except ValueError:
            radius = float("nan")
        if not math.isfinite(radius):
            self.radius_note = (
                f"“{text}” is not a distance, so we searched within {DEFAULT_RADIUS_KM} km."
            )
            return DEFAULT_RADIUS_KM
        clamped = clamp_radius(radius)
        if clamped != radius:
            self.radius_note = (
                f"The radius must be between 1 and {MAX_RADIUS_KM} km, "
                f"so we searched within {clamped:g} km."
            )
        return clamped

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            cleaned["centre"] = resolve_centre(
                near=cleaned.get("near") or "",
                lat=cleaned.get("lat") or "",
                lng=cleaned.get("lng") or "",
                country=self.country,
            )
        except ValueError as e:
            self.add_error(None, f"Those coordinates are not usable: {e}")
        return cleaned


class ContactForm(forms.Form):
    """A message to an instructor. `website` is a honeypot: people never see it."""

    name = forms.CharField(label="Your name", max_length=100)
    email = forms.EmailField(
        label="Your email", help_text="The instructor replies to this address."
    )
    body = forms.CharField(
        label="Message", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
