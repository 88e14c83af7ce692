from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.http import HttpRequest

from homestretch.accounts.models import TIMEZONES, User


class SignupExtraForm(forms.Form):
    """Added to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS): the time zone, filled
    in by our script from the browser (static/js/timezone.js). A person's days, reminders
    and class times follow it; a missing or unknown value falls back to UTC quietly, since
    the person never saw the field."""

    timezone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_timezone(self) -> str:
        value = str(self.cleaned_data.get("timezone") or "").strip()
        return value if value in TIMEZONES else "UTC"

    def signup(self, request: HttpRequest, user: User) -> None:
        user.timezone = self.cleaned_data.get("timezone") or "UTC"
        user.save(update_fields=["timezone"])


class LoginForm(AllauthLoginForm):
    """allauth's login form, in the words of the rest of the site."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"
