"""The preferences page's form: one choice of delivery per kind the person receives."""

from django import forms

from marketplace.notifications.models import Delivery
from marketplace.notifications.preferences import Choice


class PreferencesForm(forms.Form):
    def __init__(self, *args, choices: list[Choice], **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        for choice in choices:
            self.fields[choice.kind] = forms.ChoiceField(
                label=choice.label, choices=Delivery.choices, initial=choice.delivery
            )

    def groups(self) -> list[tuple[str, list]]:
        """The fields grouped as the kinds are, for the template."""
        grouped: dict = {}
        for choice in self.choices:
            grouped.setdefault(choice.group.label, []).append(self[choice.kind])
        return list(grouped.items())
