"""The deed a challenge's IP model calls for, and its text for one winner of an award."""

from django.utils import timezone

from legal.documents import deed_render
from legal.services import RenderedAgreement
from marketplace.awards.models import Award
from marketplace.challenges.models import Challenge, IPModel
from payouts.currency import format_money

DEED_KINDS = {
    IPModel.EXCLUSIVE_TRANSFER: "transfer_deed",
    IPModel.NONEXCLUSIVE_LICENCE: "licence_deed",
}


def deed_kind(challenge: Challenge) -> str | None:
    """The deed the challenge's IP model calls for; None when the solver keeps the IP."""
    return DEED_KINDS.get(challenge.ip_model)


def deed_terms(award: Award, user) -> dict:
    challenge = award.challenge
    recipient = award.recipients.get(user=user)
    return {
        "date": timezone.now().date().isoformat(),
        "solver_name": user.full_name,
        "seeker": challenge.organization.name,
        "submission_title": award.submission.title,
        "challenge_title": challenge.title,
        "submission_sha256": award.submission.sha256,
        "amount": format_money(recipient.amount, challenge.currency, "en"),
        "signature": "",
    }


def award_deed(*, award: Award, user) -> RenderedAgreement | None:
    kind = deed_kind(award.challenge)
    return deed_render(kind=kind, terms=deed_terms(award, user)) if kind else None
