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
