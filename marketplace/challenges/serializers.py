"""Challenge representations. Input serializers only check the shape
of the JSON; every business rule is the services' (`ChallengeInput` validation)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.challenges.inputs import ChallengeInput, RequirementInput
from marketplace.challenges.models import (
    Challenge,
    ChallengeKind,
    ChallengeState,
    IdeaLicence,
    IPModel,
)
from marketplace.challenges.services import CONTENT_FIELDS
from marketplace.core.api.fields import (
    AmountField,
    AwareDateTimeField,
    MinorUnitsField,
    PercentField,
    StrictIntegerField,
)
from marketplace.core.markdown import render_markdown
from payouts.currency import (
    check_currency,
    format_money,
    major_text,
    supported_currencies,
    to_minor,
)
from payouts.splits import percent_of

_model = Challenge._meta.get_field

# Amounts a client writes (prize_pool, award_amounts) travel as decimal strings in major
# units of the currency both ways; responses add the ledger's integers as `*_minor`.
POOL_HELP = _(
    'The whole prize pool in major units of `currency`, as a decimal string: "25000.00" '
    "is 25,000.00 (a JSON number that parses exactly, such as 25000 or 25000.5, is "
    "accepted too)."
)
AMOUNTS_HELP = _(
    'The award plan as amounts in major units of `currency` ("15000.00", "10000.00"), '
    "adding up to the prize pool. Send either this or `award_percentages`."
)
PERCENTAGES_HELP = _(
    'The award plan as percentages of the prize pool ("60", "40"; at most 2 decimals '
    "each), adding up to exactly 100. They become amounts that add up to the pool "
    "exactly (largest remainder). Send either this or `award_amounts`."
)


class RequirementSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, allow_blank=True)
    description = serializers.CharField(
        max_length=5000, allow_blank=True, required=False, default=""
    )
    weight = StrictIntegerField(help_text=_("Percent, 1 to 100; the weights add up to 100."))


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ChallengeSummarySerializer(serializers.Serializer):
    """A challenge in a list. `organization` is null when the Seeker hides itself."""

    # No per-row queries: the organisation is joined and the solver count annotated.
    # Context `reveal_seeker` shows organisations that hide themselves.

    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    kind = serializers.ChoiceField(ChallengeKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    state = serializers.ChoiceField(ChallengeState.choices)
    state_display = serializers.CharField(source="get_state_display")
    prize_pool = serializers.SerializerMethodField()
    prize_pool_minor = MinorUnitsField(
        source="prize_pool",
        help_text=_("The prize pool as the ledger keeps it."),
    )
    currency = serializers.CharField()
    prize_display = serializers.SerializerMethodField()
    submission_deadline = serializers.DateTimeField()
    judging_deadline = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    solver_count = serializers.IntegerField()
    hide_seeker = serializers.BooleanField()
    blind_judging = serializers.BooleanField()
    max_submissions_per_solver = serializers.IntegerField()
    allow_html_uploads = serializers.BooleanField()
    claim_days = serializers.IntegerField()
    organization = serializers.SerializerMethodField()

    @extend_schema_field(AmountField(help_text=_('The prize pool in major units: "25000.00".')))
    def get_prize_pool(self, obj):
        return major_text(obj.prize_pool, obj.currency)

    def get_prize_display(self, obj) -> str:
        return format_money(obj.prize_pool, obj.currency)

    @extend_schema_field(OrganizationRefSerializer(allow_null=True))
    def get_organization(self, obj):
        if obj.hide_seeker and not self.context.get("reveal_seeker"):
            return None
        return {"id": obj.organization_id, "name": obj.organization.name}


class PlannedAwardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    amount = MinorUnitsField()
    percentage = serializers.SerializerMethodField()

    @extend_schema_field(PercentField(help_text=_('Its share of the prize pool: "62.50".')))
    def get_percentage(self, obj):
        return str(percent_of(obj.amount, obj.challenge.prize_pool))


class ChallengeSerializer(ChallengeSummarySerializer):
    """The full challenge, as far as you may see it, and what you may do with it now."""

    # The context says what the reader may see and do: `can_read_brief`,
    # `reveal_seeker`, `is_registered`, `available_transitions`.

    ip_model = serializers.ChoiceField(IPModel.choices)
    ip_model_display = serializers.CharField(source="get_ip_model_display")
    eligibility = serializers.CharField()
    open_ideation = serializers.BooleanField(
        help_text=_("Entries are public ideas that people support and comment on.")
    )
    support_threshold = serializers.IntegerField(
        help_text=_("Supporters that mark an idea for review.")
    )
    idea_licence = serializers.ChoiceField(
        IdeaLicence.choices, help_text=_("The licence the ideas are published under.")
    )
    requirements = RequirementSerializer(many=True)
    award_amounts = serializers.SerializerMethodField()
    award_amounts_minor = serializers.SerializerMethodField()
    award_percentages = serializers.SerializerMethodField()
    planned_awards = PlannedAwardSerializer(
        many=True, help_text=_("The award plan; an award is given for one of these ids.")
    )
    brief = serializers.SerializerMethodField()
    brief_html = serializers.SerializerMethodField()
    is_registered = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(
        serializers.ListField(
            child=AmountField(),
            help_text=_('The award plan in major units of `currency`: "15000.00".'),
        )
    )
    def get_award_amounts(self, obj):
        return [major_text(award.amount, obj.currency) for award in obj.planned_awards.all()]

    @extend_schema_field(
        serializers.ListField(
            child=MinorUnitsField(),
            help_text=_("The award plan as integers in minor units: 1500000 is 15,000.00 USD."),
        )
    )
    def get_award_amounts_minor(self, obj):
        return [award.amount for award in obj.planned_awards.all()]

    @extend_schema_field(
        serializers.ListField(
            child=PercentField(),
            help_text=_('Each award\'s share of the prize pool, to 2 decimals: "62.50".'),
        )
    )
    def get_award_percentages(self, obj):
        return [str(percent_of(a.amount, obj.prize_pool)) for a in obj.planned_awards.all()]

    @extend_schema_field(
        serializers.CharField(
            allow_null=True,
            help_text=_(
                "The Markdown source; null unless you are a member of the Seeker, "
                "staff or a registered solver."
            ),
        )
    )
    def get_brief(self, obj):
        return obj.brief if self.context.get("can_read_brief") else None

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text=_("The brief rendered to sanitised HTML; null like `brief`.")
        )
    )
    def get_brief_html(self, obj):
        return render_markdown(obj.brief) if self.context.get("can_read_brief") else None

    def get_is_registered(self, obj) -> bool:
        return bool(self.context.get("is_registered"))

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text=_("Transitions you may take now; each is POST …/challenges/{id}/<name>/."),
        )
    )
    def get_available_transitions(self, obj):
        return list(self.context.get("available_transitions", []))


class ChallengeInputSerializer(serializers.Serializer):
    """A challenge's content, as a Seeker writes it. Amounts are in major units of the
    currency ("25000.00"); deadlines ISO 8601 with a time zone."""

    title = serializers.CharField(max_length=_model("title").max_length, allow_blank=True)
    summary = serializers.CharField(max_length=_model("summary").max_length, allow_blank=True)
    brief = serializers.CharField(
        max_length=_model("brief").max_length,
        allow_blank=True,
        help_text=_("Markdown; rendered and sanitised for readers."),
    )
    kind = serializers.ChoiceField(ChallengeKind.choices)
    prize_pool = AmountField(help_text=POOL_HELP)
    currency = serializers.CharField(max_length=3)
    ip_model = serializers.ChoiceField(IPModel.choices)
    submission_deadline = AwareDateTimeField()
    judging_deadline = AwareDateTimeField()
    requirements = RequirementSerializer(many=True, help_text=_("1 to 10; weights sum to 100."))
    award_amounts = serializers.ListField(
        child=AmountField(), required=False, default=list, help_text=AMOUNTS_HELP
    )
    award_percentages = serializers.ListField(
        child=PercentField(), required=False, default=list, help_text=PERCENTAGES_HELP
    )
    eligibility = serializers.CharField(
        max_length=_model("eligibility").max_length, allow_blank=True, required=False, default=""
    )
    hide_seeker = serializers.BooleanField(required=False, default=False)
    blind_judging = serializers.BooleanField(
        required=False, default=False, help_text=_("Hide solvers' identities from judges.")
    )
    max_submissions_per_solver = StrictIntegerField(
        required=False, default=3, help_text=_("Submissions allowed per solver or team, 1 to 20.")
    )
    allow_html_uploads = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Accept HTML and SVG files in submissions and attachments (served only as "
            "downloads). Refused by default."
        ),
    )
    claim_days = StrictIntegerField(
        required=False, default=30, help_text=_("Days a winner has to claim an award, 1 to 365.")
    )
    open_ideation = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Open ideation: entries are public ideas, supported and commented on by "
            "signed-in people with a verified e-mail."
        ),
    )
    support_threshold = StrictIntegerField(
        required=False,
        default=10_000,
        help_text=_("Supporters that mark an idea for review, at least 10."),
    )
    idea_licence = serializers.ChoiceField(
        IdeaLicence.choices, required=False, default=IdeaLicence.CC_BY
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["currency"].help_text = _("ISO 4217 code, one of: %(codes)s.") % {
            "codes": ", ".join(supported_currencies())
        }
        return fields

    def validate(self, attrs):
        """The amounts in minor units of the currency sent (too many decimals for it: a
        400 naming the field)."""
        code = attrs["currency"]
        try:
            check_currency(code)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"currency": exc.messages}) from None
        errors = {}
        for name in ("prize_pool", "award_amounts"):
            try:
                value = attrs[name]
                attrs[name] = (
                    [to_minor(a, code) for a in value]
                    if isinstance(value, list)
                    else to_minor(value, code)
                )
            except DjangoValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def to_input(self) -> ChallengeInput:
        data = dict(self.validated_data)
        data.pop("organization", None)
        data["requirements"] = [RequirementInput(**r) for r in data["requirements"]]
        return ChallengeInput(**data)


class ChallengeCreateSerializer(ChallengeInputSerializer):
    organization = serializers.IntegerField(
        help_text=_("Id of the organisation that posts it; you must be its owner or manager.")
    )


def merged_content(challenge: Challenge, changes: dict) -> dict:
    """The challenge's content in the input shape with a PATCH's `changes` merged in; an
    award plan sent as percentages replaces the current amounts."""
    data = {name: getattr(challenge, name) for name in CONTENT_FIELDS}
    data["prize_pool"] = major_text(challenge.prize_pool, challenge.currency)
    data["requirements"] = [
        {"title": r.title, "description": r.description, "weight": r.weight}
        for r in challenge.requirements.all()
    ]
    if "award_percentages" not in changes:
        data["award_amounts"] = [
            major_text(award.amount, challenge.currency) for award in challenge.planned_awards.all()
        ]
    return {**data, **changes}
