"""The challenge agreement a solver accepts, rendered with the challenge's own terms."""

from django.utils import translation

from legal.models import AgreementKind
from legal.services import RenderedAgreement, agreement_render, template_current
from marketplace.challenges.models import Challenge
from payouts.currency import format_money


def challenge_terms(challenge: Challenge) -> dict:
    """The challenge's terms as they appear in its agreement (in English, the language of
    the legal text; dates in UTC)."""
    with translation.override("en"):
        return {
            "challenge_title": challenge.title,
            "seeker": "the Seeker (anonymous)"
            if challenge.hide_seeker
            else challenge.organization.name,
            "prize": format_money(challenge.prize_pool, challenge.currency, "en"),
            "submission_deadline": challenge.submission_deadline.strftime("%Y-%m-%d %H:%M"),
            "judging_deadline": challenge.judging_deadline.strftime("%Y-%m-%d %H:%M"),
            "ip_model": str(challenge.get_ip_model_display()),
        }


def challenge_agreement(challenge: Challenge) -> RenderedAgreement:
    template = template_current(kind=AgreementKind.CHALLENGE, variant=challenge.ip_model)
    return agreement_render(template, challenge_terms(challenge))
