"""Forms of the judging and winner-selection pages. They parse what people type; the
services decide every rule, and their field-keyed errors are put back on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.accounts.models import User
from marketplace.judging.models import SCORE_MAX, SCORE_MIN
from marketplace.organisations.roles import JUDGING_ROLES
from marketplace.submissions.models import ReviewStatus
from payouts.currency import exponent, to_minor


class JudgeAssignForm(forms.Form):
    judge = forms.ModelChoiceField(label=_("Judge"), queryset=None, empty_label=None)

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = (
            User.objects.filter(
                memberships__organization_id=challenge.organization_id,
                memberships__role__in=JUDGING_ROLES,
            )
            .exclude(judge_assignments__challenge=challenge)
            .order_by("full_name", "email")
        )
        self.fields["judge"].label_from_instance = lambda user: (
            f"{user.full_name} <{user.email}>" if user.full_name else user.email
        )


class JudgeInviteForm(forms.Form):
    """Invite someone from outside the organisation to judge this challenge only."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "They judge this challenge only and do not join the organisation. For one of "
            "the organisation's members, use the list above."
        ),
    )


class EvaluationForm(forms.Form):
    """One score (0-10) and one private note per solution requirement."""

    def __init__(self, *args, requirements, evaluations=None, **kwargs):
        """`evaluations` maps requirement id to the judge's saved Evaluation."""
        evaluations = evaluations or {}
        initial = {}
        for requirement in requirements:
            saved = evaluations.get(requirement.pk)
            if saved is not None:
                initial[f"score_{requirement.pk}"] = saved.score
                initial[f"note_{requirement.pk}"] = saved.note
        super().__init__(*args, initial=initial, **kwargs)
        self.requirements = list(requirements)
        for position, requirement in enumerate(self.requirements):
            attrs = {"min": SCORE_MIN, "max": SCORE_MAX, "step": 1}
            if position == 0:
                attrs["autofocus"] = True
            self.fields[f"score_{requirement.pk}"] = forms.IntegerField(
                label=_("Score (%(min)s to %(max)s)") % {"min": SCORE_MIN, "max": SCORE_MAX},
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                widget=forms.NumberInput(attrs=attrs),
            )
            self.fields[f"note_{requirement.pk}"] = forms.CharField(
                label=_("Private note"),
                required=False,
                max_length=5000,
                help_text=_("Only you, the challenge's owners and staff read it."),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def fieldsets(self):
        """(requirement, score field, note field) in the challenge's order."""
        return [(r, self[f"score_{r.pk}"], self[f"note_{r.pk}"]) for r in self.requirements]

    def scores(self) -> dict:
        """The service's input: {requirement id: {"score": n, "note": "..."}}."""
        data = self.cleaned_data
        return {
            r.pk: {"score": data[f"score_{r.pk}"], "note": data[f"note_{r.pk}"]}
            for r in self.requirements
        }


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you have a conflict of interest?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The owners read it. You will no longer see or score this entry."),
    )


class ReviewForm(forms.Form):
    """An entry's review status, offered as the statuses the person may set now."""

    status = forms.ChoiceField(label=_("Review status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the entry is not admissible. The solver reads it."),
    )
    note = forms.CharField(
        label=_("Note to the solver"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional, at most 5,000 characters. Scores and judges' notes stay private."),
    )

    def __init__(self, *args, statuses, submission, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": submission.review_status,
                "reason": submission.review_reason,
                "note": submission.review_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ReviewStatus(s).label) for s in statuses]


class ForfeitForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AwardProposeForm(forms.Form):
    """Award an entry one of the free planned awards, in full or (with an amount in the
    currency's major units) in part."""

    submission = forms.TypedChoiceField(label=pgettext_lazy("contest entry", "Entry"), coerce=int)
    planned_award = forms.TypedChoiceField(label=_("Award"), coerce=int)
    amount = forms.CharField(
        label=_("Partial amount"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args, currency: str, entries, planned, **kwargs):
        """`entries` and `planned` are (value, label) choices, best first."""
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["submission"].choices = entries
        self.fields["planned_award"].choices = planned
        example = "1500" if exponent(currency) == 0 else "1500." + "0" * exponent(currency)
        self.fields["amount"].help_text = _(
            "Optional, in %(currency)s major units (for example %(example)s). Leave empty to "
            "give the whole planned amount."
        ) % {"currency": currency, "example": example}

    def clean_amount(self):
        text = self.cleaned_data["amount"].strip()
        return to_minor(text, self.currency) if text else None
