from django import forms

from homestretch.homework.services import Shares


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
        help_text="Your answers to the safety questions, where it hurts, when you told us a "
        "clinician saw you after a red flag, and your pain and activity scores at each "
        "checkpoint.",
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
