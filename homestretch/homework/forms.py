from django import forms

from homestretch.homework.services import Shares
from homestretch.programs.models import Difficulty


class ConsentForm(forms.Form):
    """What a client shares with one instructor. Logs only is the default."""

    share_logs = forms.BooleanField(
        label="My practice logs",
        required=False,
        initial=True,
        help_text="Each practice: the day, the sequence, done or not, pain before and after, "
        "difficulty and your note.",
    )
    share_checks = forms.BooleanField(
        label="My self-checks and outcome checks",
        required=False,
        help_text="Your answers to the safety questions, where it hurts, and your pain and "
        "activity scores at each checkpoint.",
    )
    share_progress = forms.BooleanField(
        label="My program progress",
        required=False,
        help_text="Which programs you follow, since when, and whether paused or left.",
    )

    def shares(self) -> Shares:
        data = self.cleaned_data
        return Shares(
            logs=data["share_logs"], checks=data["share_checks"], progress=data["share_progress"]
        )


class HomeworkLogForm(forms.Form):
    sequence = forms.IntegerField(widget=forms.HiddenInput)
    done = forms.BooleanField(label="I did it", required=False, initial=True)
    pain_before = forms.IntegerField(
        label="Pain before (0 to 10)", min_value=0, max_value=10, required=False
    )
    pain_after = forms.IntegerField(
        label="Pain after (0 to 10)", min_value=0, max_value=10, required=False
    )
    difficulty = forms.ChoiceField(choices=[("", "-"), *Difficulty.choices], required=False)
    note = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
