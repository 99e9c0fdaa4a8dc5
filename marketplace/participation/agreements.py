"""The challenge agreement a solver accepts, rendered with the challenge's own terms."""

from django.utils import translation
from django.utils.translation import gettext as _

from legal.models import AgreementKind
from legal.services import RenderedAgreement, agreement_render, template_current
from marketplace.challenges.models import Challenge
from payouts.currency import format_money


def challenge_terms(challenge: Challenge, language: str = "en") -> dict:
    """The challenge's terms as they appear in its agreement, written in `language`, the
    language of the agreement's text (dates in UTC)."""
    with translation.override(language):
        return {
            "challenge_title": challenge.title,
            "seeker": _("the Seeker (anonymous)")
            if challenge.hide_seeker
            else challenge.organization.name,
            "prize": format_money(challenge.prize_pool, challenge.currency, language),
            "submission_deadline": challenge.submission_deadline.strftime("%Y-%m-%d %H:%M"),
            "judging_deadline": challenge.judging_deadline.strftime("%Y-%m-%d %H:%M"),
            "ip_model": str(challenge.get_ip_model_display()),
        }


def challenge_agreement(challenge: Challenge, language: str | None = None) -> RenderedAgreement:
    """The agreement in force for the challenge in the language the solver is reading
    (`language`, default: the active one; English when it has no text in it)."""
    template = template_current(
        kind=AgreementKind.CHALLENGE, variant=challenge.ip_model, language=language
    )
    return agreement_render(template, challenge_terms(challenge, template.language))
