from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Max

from homestretch.accounts.models import TIMEZONES, User
from homestretch.custom.models import CustomSequence
from homestretch.finder import services
from homestretch.finder.models import LANGUAGES, Class, Specialty
from homestretch.homework.models import WEEKDAY_NAMES, Assignment
from homestretch.homework.services import assignable_custom_sequences
from homestretch.library.models import Sequence


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Name shown on your profile", max_length=100)
    bio = forms.CharField(
        label="About you",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: *emphasis*, **bold**, [links](https://example.org), lists.",
    )
    specialties = forms.MultipleChoiceField(
        choices=Specialty.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        choices=list(LANGUAGES.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
    teaches_in_person = forms.BooleanField(label="I teach in person", required=False)
    teaches_online = forms.BooleanField(label="I teach online", required=False)
    photo = forms.FileField(
        label="Photo",
        required=False,
        help_text=f"JPEG, PNG or WebP, up to {services.MAX_PHOTO_BYTES // 1024 // 1024} MB.",
    )

    def clean_photo(self) -> dict[str, ContentFile[bytes]] | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return services.photo_versions(upload)

    @staticmethod
    def initial_from(data: dict[str, Any]) -> dict[str, Any]:
        return {
            **{name: data[name] for name in services.PROFILE_FIELDS},
            "specialties": [v for v in data["specialties"].split(",") if v],
            "languages": [v for v in data["languages"].split(",") if v],
        }

    def apply(self, data: dict[str, Any]) -> dict[str, Any]:
        cleaned = self.cleaned_data
        packed = {
            "specialties": f",{','.join(sorted(cleaned['specialties']))},"
            if cleaned["specialties"]
            else "",
            "languages": f",{','.join(sorted(cleaned['languages']))},"
            if cleaned["languages"]
            else "",
        }
        return {
            **data,
            "display_name": cleaned["display_name"],
            "bio": cleaned["bio"],
            "teaches_in_person": cleaned["teaches_in_person"],
            "teaches_online": cleaned["teaches_online"],
            **packed,
        }


class LocationForm(forms.Form):
    name = forms.CharField(label="Studio name", max_length=100)
    address = forms.CharField(max_length=200, required=False)
    city = forms.CharField(max_length=100)
    country = forms.CharField(
        label="Country code", max_length=2, min_length=2, help_text="Two letters, e.g. DE."
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        cleaned["country"] = cleaned["country"].upper()
        try:
            cleaned["latitude"], cleaned["longitude"] = services.locate(
                city=cleaned["city"], country=cleaned["country"]
            )
        except services.FinderError as e:
            raise ValidationError(str(e)) from None
        return cleaned


class ClassForm(forms.Form):
    title = forms.CharField(max_length=100)
    weekday = forms.TypedChoiceField(choices=Class.Weekday.choices, coerce=int)
    start_time = forms.TimeField(label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=10, max_value=240)
    timezone = forms.ChoiceField(choices=[(tz, tz) for tz in sorted(TIMEZONES)])
    location = forms.TypedChoiceField(label="Where", coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, locations: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        where = self.fields["location"]
        assert isinstance(where, forms.ChoiceField)
        where.choices = [("", "Online"), *((n, loc["name"]) for n, loc in enumerate(locations))]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Client's email", max_length=254)


class AssignmentForm(forms.Form):
    """Homework: sequences, a schedule, dates (the client's days) and a note."""

    sequences = forms.ModelMultipleChoiceField(
        queryset=Sequence.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    custom_sequence = forms.ModelChoiceField(
        label="A custom sequence",
        queryset=CustomSequence.objects.none(),
        required=False,
        empty_label="None",
        error_messages={
            "invalid_choice": "That custom sequence is not yours to assign: choose one of "
            "your own, or one from the library."
        },
        help_text="Its current version is assigned: later edits make new versions, and the "
        "client keeps the one you assign now.",
    )
    schedule = forms.ChoiceField(
        choices=Assignment.Schedule.choices,
        widget=forms.RadioSelect,
        initial=Assignment.Schedule.WEEKDAYS,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days of the week",
        choices=WEEKDAY_NAMES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    times_per_week = forms.IntegerField(
        label="Times a week", min_value=1, max_value=7, required=False
    )
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Until", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="A note for your client",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        client_access: bool = True,
        homework_plays: bool = False,
        owner: User | None = None,
        **kwargs: Any,
    ) -> None:
        """`client_access`: the client has library access; `homework_plays`: assigned
        homework plays without it here. Each sequence's label says whether the client can
        open it, so no one is given homework they meet a paywall on. `owner`: the
        instructor, whose own custom sequences (and those staff published) are offered."""
        super().__init__(*args, **kwargs)
        custom = self.fields["custom_sequence"]
        assert isinstance(custom, forms.ModelChoiceField)
        custom.queryset = (
            assignable_custom_sequences(owner).annotate(last=Max("versions__number"))
            if owner is not None
            else CustomSequence.objects.none()
        )

        def custom_label(item: CustomSequence) -> str:
            mine = item.owner_id == getattr(owner, "pk", None)
            whose = "" if mine else ", from the library"
            return f"{item.title} (version {getattr(item, 'last', 1)}{whose})"

        custom.label_from_instance = custom_label  # type: ignore[method-assign,assignment]
        field = self.fields["sequences"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Sequence.objects.published().order_by("title")

        def label(sequence: Sequence) -> str:
            if sequence.is_free_preview:
                return f"{sequence.title} (free preview: plays for everyone)"
            if client_access:
                return f"{sequence.title} (in their library access)"
            if homework_plays:
                return f"{sequence.title} (plays for them as homework)"
            return f"{sequence.title} (needs a subscription: they cannot play it yet)"

        field.label_from_instance = label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("sequences")
            and not cleaned.get("custom_sequence")
            and "custom_sequence" not in self.errors
        ):
            self.add_error("sequences", "Choose at least one sequence, or a custom sequence.")
        if cleaned.get("schedule") == Assignment.Schedule.WEEKDAYS:
            if not cleaned.get("weekdays"):
                self.add_error("weekdays", "Choose at least one day.")
            cleaned["times_per_week"] = None
        elif cleaned.get("schedule") == Assignment.Schedule.PER_WEEK:
            if not cleaned.get("times_per_week"):
                self.add_error("times_per_week", "How many times a week?")
            cleaned["weekdays"] = []
        return cleaned


class DigestForm(forms.Form):
    is_enabled = forms.BooleanField(label="Email me a daily digest of alerts", required=False)
