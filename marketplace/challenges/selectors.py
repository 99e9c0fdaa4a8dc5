"""Reads, with the permission filtering applied. Every list here runs a fixed number
of queries whatever its length."""

import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge, ChallengeEvent, ChallengeState
from marketplace.challenges.permissions import can_view
from marketplace.challenges.states import PUBLISHED
from payouts.currency import exponent, supported_currencies

# Registrations (in `participation`) reached through the challenge's relation.
REGISTRATIONS = Challenge._meta.get_field("registrations").related_model

# A correlated subquery, not a JOIN + GROUP BY: the database counts registrations only
# for the rows of the page, and the paginator's COUNT(*) drops it altogether.
SOLVER_COUNT = Coalesce(
    Subquery(
        REGISTRATIONS.objects.filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
        .annotate(n=Count("pk"))
        .values("n")
    ),
    0,
)

SORTS = {
    "deadline": ("submission_deadline", "pk"),
    "-deadline": ("-submission_deadline", "-pk"),
    "prize": ("prize_pool", "pk"),
    "-prize": ("-prize_pool", "-pk"),
    "newest": ("-published_at", "-pk"),
}


@dataclass(frozen=True)
class CatalogueQuery:
    text: str = ""
    kinds: tuple[str, ...] = ()
    states: tuple[str, ...] = (ChallengeState.OPEN,)
    currency: str = ""
    prize_min: Decimal | None = None  # major units of each challenge's own currency
    prize_max: Decimal | None = None
    deadline_before: datetime | None = None
    sort: str = "deadline"


def _prize_bound(op: str, value: Decimal, currencies: tuple[str, ...]) -> Q:
    """Compare a major-unit bound with minor-unit pools, exact for every currency."""
    q = Q()
    for code in currencies:
        q |= Q(currency=code, **{f"prize_pool__{op}": int(value.scaleb(exponent(code)))})
    return q


def catalogue(query: CatalogueQuery) -> QuerySet[Challenge]:
    """Published challenges for the public catalogue, annotated with `solver_count`."""
    return _catalogue(query, tuple(supported_currencies())).all()


@functools.lru_cache(maxsize=256)
def _catalogue(query: CatalogueQuery, currencies: tuple[str, ...]) -> QuerySet[Challenge]:
    """Built once per query (and currencies, which the prize bounds name) in a process,
    never evaluated: `catalogue` hands out a copy (building it is most of the work of a
    page of the API that the cache answers)."""
    states = [s for s in query.states if s in PUBLISHED] or [ChallengeState.OPEN]
    qs = Challenge.objects.filter(state__in=states)
    if query.text:
        qs = qs.filter(Q(title__icontains=query.text) | Q(summary__icontains=query.text))
    if query.kinds:
        qs = qs.filter(kind__in=query.kinds)
    if query.currency:
        qs = qs.filter(currency=query.currency)
    if query.prize_min is not None:
        qs = qs.filter(_prize_bound("gte", query.prize_min, currencies))
    if query.prize_max is not None:
        qs = qs.filter(_prize_bound("lte", query.prize_max, currencies))
    if query.deadline_before is not None:
        qs = qs.filter(submission_deadline__lte=query.deadline_before)
    return (
        qs.select_related("organization")
        .annotate(solver_count=SOLVER_COUNT)
        .order_by(*SORTS.get(query.sort, SORTS["deadline"]))
    )


def challenge_for_user(user, pk: int) -> Challenge:
    """The challenge if this user may see it; 404 otherwise (never 403)."""
    challenge = (
        Challenge.objects.select_related("organization")
        .annotate(solver_count=SOLVER_COUNT)
        .filter(pk=pk)
        .first()
    )
    if challenge is None or not can_view(user, challenge):
        raise Http404
    return challenge


def published_challenge(pk: int) -> Challenge:
    """A published challenge whoever asks; 404 otherwise, even for its members: what
    is shared outside the site (preview image, calendar) exists only once it is public."""
    challenge = (
        Challenge.objects.select_related("organization").filter(pk=pk, state__in=PUBLISHED).first()
    )
    if challenge is None:
        raise Http404
    return challenge


def challenges_for_member(user) -> QuerySet[Challenge]:
    """Every challenge of every organisation the user belongs to."""
    return (
        Challenge.objects.filter(organization__memberships__user=user)
        .select_related("organization")
        .annotate(solver_count=SOLVER_COUNT)
        .order_by("organization__name", "-updated_at", "pk")
    )


def challenges_visible_to(user) -> QuerySet[Challenge]:
    """Published challenges plus, for members and staff, the unpublished ones they may see."""
    qs = Challenge.objects.all()
    if not is_staff(user):
        visible = Q(state__in=PUBLISHED)
        if getattr(user, "is_authenticated", False):
            visible |= Q(organization__memberships__user=user)
        qs = qs.filter(visible).distinct()
    return qs.select_related("organization").annotate(solver_count=SOLVER_COUNT).order_by("-pk")


def challenges_registered_by(user) -> QuerySet[Challenge]:
    """The challenges a solver registered for, in any state, soonest deadline first."""
    return (
        Challenge.objects.filter(registrations__user=user)
        .select_related("organization")
        .annotate(solver_count=SOLVER_COUNT)
        .order_by("submission_deadline", "pk")
    )


def review_queue() -> QuerySet[Challenge]:
    """Challenges waiting for staff review with everything a reviewer reads, oldest first."""
    return (
        Challenge.objects.filter(state=ChallengeState.IN_REVIEW)
        .select_related("organization")
        .prefetch_related("requirements", "planned_awards", "attachments")
        .order_by("updated_at", "pk")
    )


def accepts_submissions(challenge: Challenge) -> bool:
    """Open, and its deadline not reached (the services decide again, to the second)."""
    return challenge.state == ChallengeState.OPEN and timezone.now() < challenge.submission_deadline


def early_close_of(challenge: Challenge) -> ChallengeEvent | None:
    """The event of the challenge's early close (when, by whom, why), or None."""
    return challenge.events.filter(name="close_early").select_related("actor").last()
