"""The deed a challenge's IP model calls for, and its text for one winner of an award."""

from django.utils import timezone

from legal.documents import deed_render
from legal.services import RenderedAgreement, reading_language, template_current
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


def deed_language(kind: str, language: str | None = None) -> str:
    """The language the deed of `kind` is signed in by someone reading `language`
    (default: the active language): theirs when the deed has a text in it, else English."""
    return template_current(kind=kind, language=reading_language(language)).language


def deed_terms(award: Award, user, language: str = "en") -> dict:
    """The award's terms as they appear in its deed, written for a text in `language`."""
    challenge = award.challenge
    recipient = award.recipients.get(user=user)
    return {
        "date": timezone.now().date().isoformat(),
        "solver_name": user.full_name,
        "seeker": challenge.organization.name,
        "submission_title": award.submission.title,
        "challenge_title": challenge.title,
        "submission_sha256": award.submission.sha256,
        "amount": format_money(recipient.amount, challenge.currency, language),
        "signature": "",
    }


def award_deed(*, award: Award, user, language: str | None = None) -> RenderedAgreement | None:
    """The deed `user` signs for `award`, in the language they read (default: the active
    one; English when the deed has no text in it); None when there is none to sign."""
    kind = deed_kind(award.challenge)
    if kind is None:
        return None
    language = deed_language(kind, language)
    return deed_render(kind=kind, terms=deed_terms(award, user, language), language=language)
