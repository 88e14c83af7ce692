from django import forms

from homestretch.library.models import Equipment, FocusArea, Level, SequenceQuerySet


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    focus = forms.ModelChoiceField(
        label="Focus area",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any",
    )
    level = forms.ChoiceField(label="Level", choices=[("", "Any"), *Level.choices], required=False)
    equipment = forms.ModelChoiceField(
        label="Equipment",
        queryset=Equipment.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any",
    )
    max_minutes = forms.IntegerField(
        label="At most (minutes)", required=False, min_value=1, max_value=600
    )

    def filter(self, sequences: SequenceQuerySet) -> SequenceQuerySet:
        data = self.cleaned_data
        if data.get("focus"):
            sequences = sequences.filter(focus_areas=data["focus"])
        if data.get("level"):
            sequences = sequences.filter(level=data["level"])
        if data.get("equipment"):
            sequences = sequences.filter(equipment=data["equipment"])
        if data.get("max_minutes"):
            sequences = sequences.filter(duration_seconds__lte=data["max_minutes"] * 60)
        return sequences
