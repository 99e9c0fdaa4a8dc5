"""Reads for the staff's challenges, awards, payouts and deeds lists (pages and API). Each
returns a queryset whose related rows are joined or prefetched, so a page of it costs the
same number of queries whatever its size."""

from collections.abc import Iterable
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat

from legal.models import Deed
from marketplace.awards.models import Award, AwardRecipient
from marketplace.challenges.models import Challenge
from marketplace.core.references import subject_of
from marketplace.organisations.models import Organization
from payouts.models import Payout, PayoutAccount, PayoutAccountLink, PayoutState, TaxForm

ATTENTION = "attention"


def needs_attention() -> Q:
    """Payouts staff must look at: refused, or tried and still not confirmed."""
    return Q(state=PayoutState.FAILED) | Q(state=PayoutState.PENDING, attempts__gt=0)


def _award_references(challenge_id: int) -> QuerySet:
    """The references ("award:7") of a challenge's awards, as a subquery."""
    return (
        Award.objects.filter(challenge_id=challenge_id)
        .annotate(ref=Concat(Value("award:"), Cast("pk", CharField())))
        .values("ref")
    )


def staff_payouts(*, state: str = "", challenge_id: int | None = None) -> QuerySet[Payout]:
    """Every payout, those needing attention first, then newest first. `state` is a
    payout state or "attention". `waiting`: pending until its payee finishes their payout
    set-up with Stripe."""
    waits = PayoutAccount.objects.filter(
        user=OuterRef("payee"), gateway=OuterRef("gateway"), payouts_enabled=False
    )
    qs = Payout.objects.select_related("payee").annotate(
        attention=Case(
            When(needs_attention(), then=True), default=False, output_field=BooleanField()
        ),
        waiting=Q(state=PayoutState.PENDING) & Exists(waits),
    )
    if state == ATTENTION:
        qs = qs.filter(needs_attention())
    elif state:
        qs = qs.filter(state=state)
    if challenge_id:
        qs = qs.filter(subject=subject_of(Challenge(pk=challenge_id)))
    return qs.order_by("-attention", "-created_at", "-pk")


def staff_deeds(*, challenge_id: int | None = None, signer: str = "") -> QuerySet[Deed]:
    """Every signed deed, newest first; `signer` matches part of an e-mail or name."""
    qs = Deed.objects.select_related("signer", "template", "void")
    if challenge_id:
        qs = qs.filter(reference__in=_award_references(challenge_id))
    if signer:
        qs = qs.filter(Q(signer__email__icontains=signer) | Q(signer__full_name__icontains=signer))
    return qs.order_by("-signed_at", "-pk")


def staff_awards(*, state: str = "", challenge_id: int | None = None) -> QuerySet[Award]:
    """Every award, newest first, with its challenge, entry and recipients (each with
    their deed and whether a current tax form is on file)."""
    recipients = AwardRecipient.objects.select_related("user", "deed__void").annotate(
        tax_form_on_file=Exists(
            TaxForm.objects.filter(user=OuterRef("user"), superseded_at__isnull=True)
        )
    )
    qs = Award.objects.select_related("challenge", "submission").prefetch_related(
        Prefetch("recipients", queryset=recipients)
    )
    if state:
        qs = qs.filter(state=state)
    if challenge_id:
        qs = qs.filter(challenge_id=challenge_id)
    return qs.order_by("-created_at", "-pk")


def awards_by_reference(references: Iterable[str]) -> dict[str, Award]:
    """The awards named by references such as "award:7", with their challenges, in one
    query; references that name no award are left out."""
    ids = {
        int(pk)
        for kind, _sep, pk in (reference.partition(":") for reference in references)
        if kind == "award" and pk.isdigit()
    }
    awards = Award.objects.filter(pk__in=ids).select_related("challenge") if ids else []
    return {award.reference: award for award in awards}


def staff_challenges(
    *,
    q: str = "",
    states: Iterable[str] = (),
    organization: Organization | None = None,
    created_from: date | None = None,
    created_to: date | None = None,
    deadline_from: date | None = None,
    deadline_to: date | None = None,
) -> QuerySet[Challenge]:
    """Every challenge in any state, newest first, with its organisation and whether it
    has awards. `q` matches part of the title or the organisation's name; the date
    bounds are inclusive days (created, and submission deadline)."""
    qs = Challenge.objects.select_related("organization").annotate(
        has_awards=Exists(Award.objects.filter(challenge=OuterRef("pk")))
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(organization__name__icontains=q))
    if states:
        qs = qs.filter(state__in=states)
    if organization:
        qs = qs.filter(organization=organization)
    if created_from:
        qs = qs.filter(created_at__date__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__date__lte=created_to)
    if deadline_from:
        qs = qs.filter(submission_deadline__date__gte=deadline_from)
    if deadline_to:
        qs = qs.filter(submission_deadline__date__lte=deadline_to)
    return qs.order_by("-created_at", "-pk")


def staff_payout_account_links() -> QuerySet[PayoutAccountLink]:
    """Payout accounts staff linked by hand, newest first, with who did it."""
    return PayoutAccountLink.objects.select_related("account__user", "actor")
