"""Forms of the Seeker pages. They only parse what people type; every rule lives in
the services, whose errors `add_service_errors` puts back on the page (on the challenge
editor, in the part they concern)."""

from datetime import UTC
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorList
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.challenges.conditions import EARLY_CLOSE_REASON_MAX
from marketplace.challenges.inputs import ChallengeInput, RequirementInput
from marketplace.challenges.models import Challenge, ChallengeKind, IdeaLicence, IPModel
from marketplace.challenges.services import CONTENT_FIELDS
from marketplace.core.feedback import add_service_errors
from marketplace.organisations.roles import OrgRole
from payouts.currency import supported_currencies, to_major, to_minor
from payouts.splits import percent_of

UTC_HELP = _("Date and time in UTC.")


class UTCDateTimeField(forms.DateTimeField):
    """A `datetime-local` input read and shown in UTC, whatever timezone is active."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(UTC):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(UTC):
            return super().prepare_value(value)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class BillingDetailsForm(forms.Form):
    billing_name = forms.CharField(
        label=_("Name on invoices"),
        required=False,
        max_length=200,
        help_text=_("The organisation's legal name; its name on the site if left empty."),
    )
    billing_address = forms.CharField(
        label=_("Billing address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tax_id = forms.CharField(label=_("Tax id (VAT number)"), required=False, max_length=50)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=OrgRole.choices, initial=OrgRole.JUDGE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=5000)


class EarlyCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=EARLY_CLOSE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded in the challenge's history and sent to every solver taking part."),
    )


class ExtendDeadlineForm(forms.Form):
    submission_deadline = UTCDateTimeField(label=_("New submission deadline"), help_text=UTC_HELP)
    judging_deadline = UTCDateTimeField(
        label=_("New judging deadline"),
        required=False,
        help_text=_(
            "Date and time in UTC. Leave empty to move it by as much as the submission deadline."
        ),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=5000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


AWARD_MODES = [
    ("amounts", _("Amounts")),
    ("percentages", _("Percentages of the prize pool")),
]


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the catalogue to everyone."),
    )
    brief = forms.CharField(
        label=_("Full brief"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown. Shown only to solvers who accept the challenge's agreement."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ChallengeKind.choices)
    currency = forms.ChoiceField(label=_("Currency"))
    prize_pool = forms.CharField(
        label=_("Prize pool"),
        max_length=30,
        help_text=_("In the currency's major units, for example 25000.00."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    ip_model = forms.ChoiceField(label=_("IP model"), choices=IPModel.choices)
    award_mode = forms.ChoiceField(
        label=_("Enter the awards as"),
        choices=AWARD_MODES,
        initial="amounts",
        required=False,
        widget=forms.RadioSelect,
    )
    submission_deadline = UTCDateTimeField(label=_("Submission deadline"), help_text=UTC_HELP)
    judging_deadline = UTCDateTimeField(label=_("Judging deadline"), help_text=UTC_HELP)
    eligibility = forms.CharField(
        label=_("Eligibility"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hide_seeker = forms.BooleanField(
        label=_("Hide our organisation's name from solvers"), required=False
    )
    blind_judging = forms.BooleanField(
        label=_("Blind judging: hide solvers' names from judges"), required=False
    )
    allow_html_uploads = forms.BooleanField(
        label=_("Accept HTML and SVG files (offered only as downloads)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "allow-html-help"}),
        help_text=_("They can run script when opened, so they are refused unless you allow them."),
    )
    max_submissions_per_solver = forms.IntegerField(
        label=_("Submissions allowed per solver or team"),
        initial=3,
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("From 1 to 20; 3 if left empty."),
    )
    claim_days = forms.IntegerField(
        label=_("Days a winner has to claim an award"),
        initial=30,
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("From 1 to 365; 30 if left empty."),
    )

    open_ideation = forms.BooleanField(
        label=_("Open ideation: entries are public ideas that people support and comment on"),
        required=False,
        help_text=_(
            "Everyone can read the ideas, under the licence below; signed-in people with a "
            "verified e-mail support them once each. Choose it now: it cannot be changed "
            "once the challenge is published."
        ),
    )
    support_threshold = forms.IntegerField(
        label=_("Support threshold"),
        initial=10_000,
        min_value=10,
        required=False,
        help_text=_(
            "An idea with this many supporters is marked for your review and you are "
            "notified. At least 10; 10,000 if left empty."
        ),
    )
    idea_licence = forms.ChoiceField(
        label=_("Licence of the ideas"),
        choices=IdeaLicence.choices,
        initial=IdeaLicence.CC_BY,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in supported_currencies()]

    def clean(self):
        data = super().clean()
        currency, prize = data.get("currency"), data.get("prize_pool")
        if currency and prize is not None:
            try:
                data["prize_pool"] = to_minor(prize, currency)
            except ValidationError as exc:
                self.add_error("prize_pool", exc)
        return data


class RequirementForm(forms.Form):
    title = forms.CharField(label=_("Requirement"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.IntegerField(
        label=_("Weight (%)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 100}),
    )


class AwardForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    percentage = forms.CharField(
        label=_("Percentage of the prize pool"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def parse_percentage(text: str) -> Decimal:
    """Read "62.5", "62,5" or "62.5 %" as Decimal("62.5"); anything else is a ValidationError."""
    text = text.strip().removesuffix("%").strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as Spanish readers write it
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            _("Enter the percentage as a number, for example 62.5."), code="invalid_percentage"
        )
    return value


RequirementFormSet = forms.formset_factory(
    RequirementForm, extra=3, max_num=settings.MARKETPLACE["MAX_REQUIREMENTS"]
)
AwardFormSet = forms.formset_factory(AwardForm, extra=2, max_num=settings.MARKETPLACE["MAX_AWARDS"])


def _filled(formset) -> list[dict]:
    """Cleaned rows the user wrote something in; empty rows are ignored."""
    return [
        f.cleaned_data
        for f in formset.forms
        if any(v not in (None, "") for v in f.cleaned_data.values())
    ]


class ChallengeEditor:
    """The editor page's three parts (main form, requirements, awards) as one unit:
    parse them, build a `ChallengeInput`, and show the service's errors in place."""

    def __init__(self, data=None, challenge: Challenge | None = None):
        initial, requirements, awards = ({}, [], []) if challenge is None else _initial(challenge)
        self.form = ChallengeForm(data, initial=initial)
        self.requirements = RequirementFormSet(data, initial=requirements, prefix="req")
        self.awards = AwardFormSet(data, initial=awards, prefix="award")
        self.requirement_errors = ErrorList()
        self.award_errors = ErrorList()

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.requirements.is_valid(), self.awards.is_valid()])
        self.requirement_errors.extend(self.requirements.non_form_errors())
        self.award_errors.extend(self.awards.non_form_errors())
        if valid:
            column = self.award_column()
            currency = self.form.cleaned_data["currency"]
            for award in self.awards.forms:
                text = award.cleaned_data.get(column)
                if text:
                    try:
                        award.cleaned_data[column] = (
                            to_minor(text, currency)
                            if column == "amount"
                            else parse_percentage(text)
                        )
                    except ValidationError as exc:
                        award.add_error(column, exc)
                        valid = False
        return valid

    def award_column(self) -> str:
        """The award rows' column the Seeker chose to fill: "amount" or "percentage"."""
        return (
            "percentage" if self.form.cleaned_data.get("award_mode") == "percentages" else "amount"
        )

    def _award_plan(self) -> dict:
        column = self.award_column()
        values = [
            f.cleaned_data[column]
            for f in self.awards.forms
            if f.cleaned_data.get(column) not in (None, "")
        ]
        return {"award_percentages" if column == "percentage" else "award_amounts": values}

    def to_input(self) -> ChallengeInput:
        data = self.form.cleaned_data
        return ChallengeInput(
            title=data["title"],
            summary=data["summary"],
            brief=data["brief"],
            kind=data["kind"],
            prize_pool=data["prize_pool"],
            currency=data["currency"],
            ip_model=data["ip_model"],
            submission_deadline=data["submission_deadline"],
            judging_deadline=data["judging_deadline"],
            requirements=[
                RequirementInput(title=r["title"], weight=r["weight"], description=r["description"])
                for r in _filled(self.requirements)
            ],
            **self._award_plan(),
            eligibility=data["eligibility"],
            hide_seeker=data["hide_seeker"],
            blind_judging=data["blind_judging"],
            max_submissions_per_solver=data.get("max_submissions_per_solver") or 3,
            allow_html_uploads=data["allow_html_uploads"],
            claim_days=data.get("claim_days") or 30,
            open_ideation=data["open_ideation"],
            support_threshold=(
                10_000 if data.get("support_threshold") is None else data["support_threshold"]
            ),
            idea_licence=data.get("idea_licence") or IdeaLicence.CC_BY,
        )


@add_service_errors.register
def _editor_service_errors(editor: ChallengeEditor, exc: ValidationError) -> None:
    """The requirements' and the awards' errors above their lists, the rest on the main form."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for key, messages in errors.items():
        if key == "requirements":
            editor.requirement_errors.extend(messages)
        elif key in ("award_amounts", "award_percentages"):
            editor.award_errors.extend(messages)
        else:
            editor.form.add_error(key if key in editor.form.fields else None, messages)


def _initial(challenge: Challenge) -> tuple[dict, list[dict], list[dict]]:
    code = challenge.currency
    main = {name: getattr(challenge, name) for name in CONTENT_FIELDS}
    main["award_mode"] = "amounts"
    main["prize_pool"] = str(to_major(challenge.prize_pool, code))
    requirements = [
        {"title": r.title, "description": r.description, "weight": r.weight}
        for r in challenge.requirements.all()
    ]
    awards = [
        {
            "amount": str(to_major(a.amount, code)),
            "percentage": str(percent_of(a.amount, challenge.prize_pool)),
        }
        for a in challenge.planned_awards.all()
    ]
    return main, requirements, awards
