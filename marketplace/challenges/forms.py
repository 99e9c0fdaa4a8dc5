"""Forms of the public pages. They only parse and check input; the services and
selectors decide what it means."""

from datetime import datetime, time

from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.challenges.models import ChallengeKind, ChallengeState
from marketplace.challenges.selectors import CatalogueQuery
from marketplace.challenges.states import PUBLISHED
from payouts.currency import supported_currencies

SORT_CHOICES = [
    ("deadline", _("Deadline: soonest first")),
    ("-deadline", _("Deadline: latest first")),
    ("prize", _("Prize: lowest first")),
    ("-prize", _("Prize: highest first")),
    ("newest", _("Newest")),
]


class CatalogueForm(forms.Form):
    """The catalogue's GET filters. A field with bad input shows its error and is left
    out of the query; the other filters still apply."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=ChallengeKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    state = forms.MultipleChoiceField(
        label=_("State"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in ChallengeState if s in PUBLISHED],
    )
    prize_min = forms.DecimalField(
        label=_("Prize from"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    prize_max = forms.DecimalField(
        label=_("Prize up to"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    deadline_before = forms.DateField(
        label=_("Closes before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data, **kwargs):
        data = data.copy()
        if not data.getlist("state"):
            data.setlist("state", [ChallengeState.OPEN])
        super().__init__(data, **kwargs)
        self.fields["currency"].choices = [("", _("Any"))] + [
            (code, code) for code in supported_currencies()
        ]

    def shown(self) -> dict:
        """What the page draws of each field, read without the widgets' templates: its
        legend, its label (with the form's suffix), its value ("" when empty), for choices each
        (value, label, checked) with Django's rule of one selected option in a select,
        and its errors."""
        fields = {}
        for field in self:
            widget = field.field.widget
            value = widget.format_value(field.value())
            shown = {
                "legend": field.label,
                "label": f"{field.label}{self.label_suffix}",
                "errors": field.errors,
            }
            if isinstance(widget, ChoiceWidget):
                chosen = set(value)
                options = []
                for code, label in field.field.choices:
                    checked = str(code) in chosen
                    if checked and not widget.allow_multiple_selected:
                        chosen = set()
                    options.append((code, label, checked))
                shown["choices"] = options
            else:
                shown["value"] = value or ""
            fields[field.name] = shown
        return fields

    def query(self) -> CatalogueQuery:
        """The catalogue query from the fields that are valid."""
        self.is_valid()
        data = self.cleaned_data
        before = data.get("deadline_before")
        return CatalogueQuery(
            text=(data.get("q") or "").strip(),
            kinds=tuple(data.get("kind") or ()),
            states=tuple(data.get("state") or ()) or (ChallengeState.OPEN,),
            currency=data.get("currency") or "",
            prize_min=data.get("prize_min"),
            prize_max=data.get("prize_max"),
            deadline_before=(
                timezone.make_aware(datetime.combine(before, time.min)) if before else None
            ),
            sort=data.get("sort") or "deadline",
        )
