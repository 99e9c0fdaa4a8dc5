"""Writing challenges: create and edit (only while in draft)."""

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.challenges.inputs import ChallengeInput, planned_amounts, validate_challenge_input
from marketplace.challenges.models import Challenge, ChallengeState, PlannedAward, Requirement
from marketplace.challenges.permissions import is_editor
from marketplace.core.errors import IllegalTransition, NotAllowed

CONTENT_FIELDS = (
    "title",
    "summary",
    "brief",
    "kind",
    "prize_pool",
    "currency",
    "ip_model",
    "submission_deadline",
    "judging_deadline",
    "eligibility",
    "hide_seeker",
    "blind_judging",
    "max_submissions_per_solver",
    "allow_html_uploads",
    "claim_days",
    "open_ideation",
    "support_threshold",
    "idea_licence",
)


def _write_children(challenge: Challenge, data: ChallengeInput) -> None:
    challenge.requirements.all().delete()
    challenge.planned_awards.all().delete()
    Requirement.objects.bulk_create(
        Requirement(
            challenge=challenge,
            position=i,
            title=r.title.strip(),
            description=r.description.strip(),
            weight=r.weight,
        )
        for i, r in enumerate(data.requirements, start=1)
    )
    PlannedAward.objects.bulk_create(
        PlannedAward(challenge=challenge, position=i, amount=a)
        for i, a in enumerate(planned_amounts(data), start=1)
    )


def challenge_create(*, organization_id: int, actor, data: ChallengeInput) -> Challenge:
    """Create a draft challenge for an organisation the actor owns or manages."""
    probe = Challenge(organization_id=organization_id)
    if not is_editor(actor, probe):
        raise NotAllowed(_("Only owners and managers of the organisation can create challenges."))
    validate_challenge_input(data)
    with transaction.atomic(durable=True):
        challenge = Challenge(
            organization_id=organization_id,
            created_by=actor,
            **{name: getattr(data, name) for name in CONTENT_FIELDS},
        )
        challenge.save()
        _write_children(challenge, data)
    return challenge


def challenge_update(*, challenge_id: int, actor, data: ChallengeInput) -> Challenge:
    """Replace a draft challenge's content. Any other state is refused."""
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if not is_editor(actor, challenge):
            raise NotAllowed(_("Only owners and managers of the organisation can edit challenges."))
        if challenge.state != ChallengeState.DRAFT:
            raise IllegalTransition(
                _("Only a draft can be edited."), state=challenge.state, code="not_editable"
            )
        validate_challenge_input(data)
        for name in CONTENT_FIELDS:
            setattr(challenge, name, getattr(data, name))
        challenge.save()
        _write_children(challenge, data)
    return challenge
