"""The staff list of every challenge, in any state: search by title or organisation,
filter by state, organisation and created or deadline dates, 50 to a page. Everyone who
is not staff gets 404, as if the page did not exist."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from marketplace.challenges.models import ChallengeState
from marketplace.organisations.models import Organization
from marketplace.staff.access import require_staff
from marketplace.staff.queries import staff_challenges

PAGE_SIZE = 50


def _day(label) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ChallengeFilter(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Title or organisation contains"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.MultipleChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=ChallengeState.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        required=False,
        queryset=Organization.objects.order_by("name"),
        empty_label=gettext_lazy("Any organisation"),
    )
    created_from = _day(gettext_lazy("Created from"))
    created_to = _day(gettext_lazy("Created until"))
    deadline_from = _day(gettext_lazy("Deadline from"))
    deadline_to = _day(gettext_lazy("Deadline until"))

    def filters(self) -> dict:
        """The valid choices made, as keyword arguments of `staff_challenges`; a field
        with bad input is shown with its error and left out."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        if "q" in data:
            data["q"] = data["q"].strip()
        if "state" in data:
            data["states"] = data.pop("state")
        return data


@require_safe
def staff_challenges_page(request):
    require_staff(request.user)
    form = ChallengeFilter(request.GET)
    rows = staff_challenges(**form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "marketplace/staff/challenges.html",
        {"form": form, "page": page},
    )
