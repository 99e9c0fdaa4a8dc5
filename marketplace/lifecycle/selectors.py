"""Reads of the lifecycle: requests to close early."""

from django.db.models import QuerySet

from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.lifecycle.models import EarlyCloseRequest, EarlyCloseState


def early_close_requests_pending() -> QuerySet[EarlyCloseRequest]:
    """What staff have to decide, oldest first: pending requests of challenges still
    open."""
    return EarlyCloseRequest.objects.filter(
        state=EarlyCloseState.PENDING, challenge__state=ChallengeState.OPEN
    ).select_related("challenge__organization", "requested_by")


def early_close_requests_of(challenge: Challenge) -> QuerySet[EarlyCloseRequest]:
    return challenge.early_close_requests.select_related("requested_by", "decided_by")
