"""A finished challenge's public results: who won (unless they chose to stay
anonymous), what each was paid, and their certificates."""

from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from legal.models import Certificate
from marketplace.awards.models import AwardRecipient, AwardState
from marketplace.challenges.models import Challenge, ChallengeState

# The states whose results are public: the challenge ended, with winners or without.
FINISHED = (ChallengeState.COMPLETED, ChallengeState.NO_AWARD)


@dataclass(frozen=True)
class Winner:
    name: str  # "" when they chose to stay anonymous
    amount: int  # minor units paid to this person
    certificate: UUID | None  # their certificate's public id (never for the anonymous)


@dataclass
class Result:
    position: int  # the planned award's place in the plan (1, 2, ...)
    amount: int  # minor units paid for this award
    team: str  # the winning team's name, or ""
    winners: list[Winner] = field(default_factory=list)


def has_results(challenge: Challenge) -> bool:
    return challenge.state in FINISHED


def challenge_results(challenge: Challenge) -> list[Result]:
    """The paid awards of a finished challenge in plan order, in three queries."""
    recipients = AwardRecipient.objects.select_related("user").order_by("-share_bps", "pk")
    awards = list(
        challenge.awards.filter(state=AwardState.PAID)
        .select_related("planned_award", "submission__team")
        .prefetch_related(Prefetch("recipients", queryset=recipients))
        .order_by("planned_award__position", "pk")
    )
    certificates = {
        (row.reference, row.recipient_id): row.uuid
        for row in Certificate.objects.filter(
            reference__in=[award.reference for award in awards], revoked_at__isnull=True
        ).only("reference", "recipient_id", "uuid")
    }
    results = []
    for award in awards:
        team = award.submission.team
        result = Result(award.planned_award.position, award.amount, team.name if team else "")
        for recipient in award.recipients.all():
            if recipient.amount == 0:
                continue
            anonymous = recipient.anonymous
            result.winners.append(
                Winner(
                    name="" if anonymous else (recipient.user.full_name or _("A solver")),
                    amount=recipient.amount,
                    certificate=None
                    if anonymous
                    else certificates.get((award.reference, recipient.user_id)),
                )
            )
        results.append(result)
    return results
