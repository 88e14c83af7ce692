from django import forms


class RedeemForm(forms.Form):
    code = forms.CharField(
        label="Access code",
        max_length=60,
        help_text="Spaces and lower case are fine.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
