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


class InvitationAnswerForm(ConsentForm):
    """The consent page: what to share, and the name the instructor will see."""

    display_name = forms.CharField(
        label="Your name, as your instructor sees it",
        max_length=80,
        required=False,
        help_text="Leave it empty to appear as “Client” and a number. Never your email address.",
    )

    field_order = ["display_name", "share_logs", "share_checks", "share_progress"]

    def share_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("share_logs", "share_checks", "share_progress")]


class ConsentEmailForm(forms.Form):
    email_homework = forms.BooleanField(
        label="Email me when new homework is assigned", required=False
    )
