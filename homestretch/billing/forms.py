import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing


class RedeemForm(forms.Form):
    code = forms.CharField(
        label="Access code",
        max_length=60,
        help_text="Spaces and lower case are fine.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


_STARTED_SALT = "homestretch.billing.access-request"
_FORM_MAX_AGE = 2 * 86400


def form_started_token(*, at: float | None = None) -> str:
    """When the form was shown, signed, so a bot posting at once is refused (as comments)."""
    return signing.dumps({"at": time.time() if at is None else at}, salt=_STARTED_SALT)


class AccessRequestForm(forms.Form):
    """Ask the studio for access. Two traps for bots, like the comment form: `website` is
    a honeypot people never see, and `started` is the signed time the form was shown."""

    name = forms.CharField(label="Your name", max_length=80, required=False)
    email = forms.EmailField(
        label="Your email", help_text="The studio answers here, with an access code."
    )
    message = forms.CharField(
        label="A note for the studio",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional: e.g. that your instructor sent you, or which class you attend.",
    )
    started = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = form_started_token()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError("We couldn't accept this request.")
        return cleaned

    def clean_started(self) -> str:
        value = str(self.cleaned_data["started"])
        try:
            data = signing.loads(value, salt=_STARTED_SALT, max_age=_FORM_MAX_AGE)
            waited = time.time() - float(data["at"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                "This form is out of date. Please reload the page and send it again."
            ) from None
        if waited < settings.COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                "That was quicker than we expected. Please check the form and send it again."
            )
        return value
