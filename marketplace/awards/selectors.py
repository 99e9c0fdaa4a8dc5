"""Reads for awards, shared by the Seeker's pages, the winner's pages and the API: a
challenge's awards with everything the owner follows them by, whether winners may be
chosen now, one award for the people party to it, and whether they see who won it."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from marketplace.accounts.permissions import is_staff
from marketplace.awards.models import Award, AwardRecipient
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_owner
from marketplace.submissions.identity import shows_solvers
from marketplace.submissions.selectors import entry_number_of
from payouts.models import Payout


def awards_of(challenge: Challenge, award_id: int | None = None) -> list:
    """The challenge's awards (or only `award_id`) in plan order, with their winners
    (the submission with its `entry_number`), recipients (and deeds, with their void
    marks) and `payouts` attached, each marked `can_forfeit` (unsigned after its claim
    deadline). A fixed number of queries."""
    recipients = AwardRecipient.objects.select_related("user", "deed__void").order_by(
        "-share_bps", "pk"
    )
    awards = challenge.awards.all() if award_id is None else challenge.awards.filter(pk=award_id)
    awards = list(
        awards.select_related("submission__author", "submission__team", "planned_award")
        .prefetch_related(Prefetch("recipients", queryset=recipients))
        .annotate(entry_number=entry_number_of("submission_id"))
        .order_by("planned_award__position", "pk")
    )
    payouts: dict[str, list] = {}
    references = [a.reference for a in awards]
    for payout in Payout.objects.filter(reference__in=references).select_related("payee"):
        payouts.setdefault(payout.reference, []).append(payout)
    now = timezone.now()
    for award in awards:
        award.submission.entry_number = award.entry_number
        award.payouts = payouts.get(award.reference, [])
        award.can_forfeit = award.claim_expired(now)
    return awards


def choosing_winners(challenge: Challenge) -> bool:
    """Winners may be chosen: the challenge is awarding and the owner has not finished."""
    return challenge.state == ChallengeState.AWARDING and challenge.awards_final_at is None


def award_for_party(user, award_id: int) -> Award:
    """The award (its recipients, their users and deeds loaded) for its recipients, the
    challenge's owners and staff; else 404."""
    award = (
        Award.objects.select_related("challenge")
        .prefetch_related("recipients__user", "recipients__deed__void")
        .filter(pk=award_id)
        .first()
    )
    if award is None or not (
        any(r.user_id == user.pk for r in award.recipients.all())
        or is_owner(user, award.challenge)
        or is_staff(user)
    ):
        raise Http404
    return award


def shows_winners(user, award: Award) -> bool:
    """Whether the user sees who won the award: its recipients always, everyone else as
    blind judging rules for the challenge's entries."""
    return any(r.user_id == user.pk for r in award.recipients.all()) or shows_solvers(
        user, award.challenge
    )
