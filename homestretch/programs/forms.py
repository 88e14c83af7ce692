from datetime import date
from typing import Any

from django import forms

from homestretch.programs.models import Difficulty, PainArea, PracticeLog, RedFlag
from homestretch.programs.services import MAX_PSFS_ACTIVITIES, LogEntry, Measures

YES_NO = [("yes", "Yes"), ("no", "No")]


def _rating(label: str, help_text: str = "", required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class RedFlagForm(forms.Form):
    """One yes/no question per active red flag. No answer is preselected: a member must
    read and answer each one."""

    def __init__(self, *args: Any, flags: list[RedFlag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flags = flags
        for flag in flags:
            self.fields[f"flag_{flag.pk}"] = forms.ChoiceField(
                label=flag.question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": "Please answer yes or no."},
            )

    def answers(self) -> dict[int, bool]:
        return {flag.pk: self.cleaned_data[f"flag_{flag.pk}"] == "yes" for flag in self.flags}

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[f"flag_{flag.pk}"] for flag in self.flags]


class MeasuresForm(forms.Form):
    """Pain now and over the last week, and the Patient-Specific Functional Scale: up to
    three activities the member finds hard, each rated 0 (can't do it) to 10 (as before)."""

    pain_now = _rating("Pain right now", "0 is no pain, 10 the worst pain you can imagine.")
    pain_week = _rating("Average pain over the last week")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, MAX_PSFS_ACTIVITIES + 1):
            self.fields[f"activity_{index}"] = forms.CharField(
                label=f"Activity {index}",
                max_length=80,
                required=index == 1,
                help_text="Something you find hard because of the pain, e.g. climbing stairs."
                if index == 1
                else "",
            )
            self.fields[f"score_{index}"] = _rating(
                f"How well can you do activity {index}?",
                "0: unable to do it; 10: as well as before the pain.",
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(1, MAX_PSFS_ACTIVITIES + 1):
            named = bool(data.get(f"activity_{index}"))
            scored = data.get(f"score_{index}") is not None
            if named and not scored:
                self.add_error(f"score_{index}", "Rate this activity from 0 to 10.")
            elif scored and not named:
                self.add_error(f"activity_{index}", "Name the activity you rated.")
        return data

    def measures(self) -> Measures:
        data = self.cleaned_data
        psfs = tuple(
            (data[f"activity_{index}"].strip(), data[f"score_{index}"])
            for index in range(1, MAX_PSFS_ACTIVITIES + 1)
            if data.get(f"activity_{index}")
        )
        return Measures(pain_now=data["pain_now"], pain_week=data["pain_week"], psfs=psfs)

    def psfs_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"activity_{index}"], self[f"score_{index}"])
            for index in range(1, MAX_PSFS_ACTIVITIES + 1)
        ]


class StartForm(MeasuresForm):
    pain_areas = forms.MultipleChoiceField(
        label="Where do you feel the pain?",
        choices=PainArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    start_date = forms.DateField(
        label="Start on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Day 1 of the program.",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = today


class ClearanceForm(forms.Form):
    """The member's statement that a clinician has seen them since a red flag stopped them."""

    seen_on = forms.DateField(
        label="When did the clinician see you?",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the day of your appointment.",
            "invalid": "Enter a date.",
        },
    )
    confirmed = forms.BooleanField(
        label="A doctor or physiotherapist has seen me since my self-check, and said I may "
        "exercise.",
        error_messages={"required": "Tick the box to confirm that a clinician has seen you."},
    )


class LogForm(forms.Form):
    """A practice log: the same fields the API takes."""

    done = forms.TypedChoiceField(
        label="Did you do it?",
        choices=[("true", "Yes, I did it"), ("false", "Not this time")],
        coerce=lambda value: value == "true",
        initial="true",
        widget=forms.RadioSelect,
    )
    pain_before = _rating("Pain before", required=False)
    pain_after = _rating("Pain after", required=False)
    difficulty = forms.ChoiceField(
        label="How was it?", choices=[("", "—"), *Difficulty.choices], required=False
    )
    note = forms.CharField(
        label="Note", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_for(log: PracticeLog | None) -> dict[str, object]:
        if log is None:
            return {"done": "true"}
        return {
            "done": "true" if log.done else "false",
            "pain_before": log.pain_before,
            "pain_after": log.pain_after,
            "difficulty": log.difficulty,
            "note": log.note,
        }

    def entry(self) -> LogEntry:
        data = self.cleaned_data
        return LogEntry(
            done=data["done"],
            pain_before=data["pain_before"],
            pain_after=data["pain_after"],
            difficulty=data["difficulty"],
            note=data["note"],
        )
