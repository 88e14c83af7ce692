from typing import Any

from django import forms

from homestretch.accounts.models import TIMEZONES, User


class ProfileForm(forms.ModelForm[User]):
    timezone = forms.ChoiceField(
        choices=[(name, name.replace("_", " ")) for name in sorted(TIMEZONES)],
        help_text=User._meta.get_field("timezone").help_text,
    )

    class Meta:
        model = User
        fields = ["display_name", "timezone", "place"]


class DeleteAccountForm(forms.Form):
    """Deleting needs the password, and the authenticator code when two-factor is on."""

    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    comments = forms.ChoiceField(
        label="Your comments on articles",
        choices=[
            ("anonymise", "Keep them, without my name (“A former member”)"),
            ("delete", "Delete them, with the replies to them"),
        ],
        widget=forms.RadioSelect,
        initial="anonymise",
    )
    confirm = forms.BooleanField(
        label="I understand that my account and all my data are deleted for good.",
    )

    def __init__(self, *args: Any, user: User, has_totp: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.has_totp = user, has_totp
        if not has_totp:
            del self.fields["code"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_code(self) -> str:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        code = self.cleaned_data.get("code", "").strip()
        totp = Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP).first()
        if totp is None or not code or not TOTP(totp).validate_code(code):
            raise forms.ValidationError(
                "That code is not right; use the current one from your app."
            )
        return code
