"""Challenge representations. Input serializers only check the shape
of the JSON; every business rule is the services' (`ChallengeInput` validation)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.challenges.inputs import ChallengeInput, RequirementInput
from marketplace.challenges.models import Challenge, ChallengeKind, ChallengeState, IPModel
from marketplace.challenges.services import CONTENT_FIELDS
from marketplace.core.api.fields import AwareDateTimeField, MinorUnitsField, StrictIntegerField
from marketplace.core.markdown import render_markdown
from payouts.currency import format_money, supported_currencies

_model = Challenge._meta.get_field


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
    prize_pool = MinorUnitsField()
    currency = serializers.CharField()
    prize_display = serializers.SerializerMethodField()
    submission_deadline = serializers.DateTimeField()
    judging_deadline = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    solver_count = serializers.IntegerField()
    hide_seeker = serializers.BooleanField()
    blind_judging = serializers.BooleanField()
    max_submissions_per_solver = serializers.IntegerField()
    claim_days = serializers.IntegerField()
    organization = serializers.SerializerMethodField()

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


class ChallengeSerializer(ChallengeSummarySerializer):
    """The full challenge, as far as you may see it, and what you may do with it now."""

    # The context says what the reader may see and do: `can_read_brief`,
    # `reveal_seeker`, `is_registered`, `available_transitions`.

    ip_model = serializers.ChoiceField(IPModel.choices)
    ip_model_display = serializers.CharField(source="get_ip_model_display")
    eligibility = serializers.CharField()
    requirements = RequirementSerializer(many=True)
    award_amounts = serializers.SerializerMethodField()
    planned_awards = PlannedAwardSerializer(
        many=True, help_text=_("The award plan; an award is given for one of these ids.")
    )
    brief = serializers.SerializerMethodField()
    brief_html = serializers.SerializerMethodField()
    is_registered = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=MinorUnitsField()))
    def get_award_amounts(self, obj):
        return [award.amount for award in obj.planned_awards.all()]

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
    """A challenge's content, as a Seeker writes it. Amounts are JSON integers of minor
    units; deadlines ISO 8601 with a time zone."""

    title = serializers.CharField(max_length=_model("title").max_length, allow_blank=True)
    summary = serializers.CharField(max_length=_model("summary").max_length, allow_blank=True)
    brief = serializers.CharField(
        max_length=_model("brief").max_length,
        allow_blank=True,
        help_text=_("Markdown; rendered and sanitised for readers."),
    )
    kind = serializers.ChoiceField(ChallengeKind.choices)
    prize_pool = MinorUnitsField(help_text=_("Whole prize pool in minor units of `currency`."))
    currency = serializers.CharField(max_length=3)
    ip_model = serializers.ChoiceField(IPModel.choices)
    submission_deadline = AwareDateTimeField()
    judging_deadline = AwareDateTimeField()
    requirements = RequirementSerializer(many=True, help_text=_("1 to 10; weights sum to 100."))
    award_amounts = serializers.ListField(
        child=MinorUnitsField(), help_text=_("Each award in minor units; they sum to the pool.")
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
    claim_days = StrictIntegerField(
        required=False, default=30, help_text=_("Days a winner has to claim an award, 1 to 365.")
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["currency"].help_text = _("ISO 4217 code, one of: %(codes)s.") % {
            "codes": ", ".join(supported_currencies())
        }
        return fields

    def to_input(self) -> ChallengeInput:
        data = dict(self.validated_data)
        data.pop("organization", None)
        data["requirements"] = [RequirementInput(**r) for r in data["requirements"]]
        return ChallengeInput(**data)


class ChallengeCreateSerializer(ChallengeInputSerializer):
    organization = serializers.IntegerField(
        help_text=_("Id of the organisation that posts it; you must be its owner or manager.")
    )


def current_content(challenge: Challenge) -> dict:
    """The challenge's content in the input shape, for a PATCH to be merged into."""
    data = {name: getattr(challenge, name) for name in CONTENT_FIELDS}
    data["requirements"] = [
        {"title": r.title, "description": r.description, "weight": r.weight}
        for r in challenge.requirements.all()
    ]
    data["award_amounts"] = [award.amount for award in challenge.planned_awards.all()]
    return data
