"""The certificate page: its HTML in the certificate's language, with the award and the
date formatted for that language and a QR code pointing to its verification page; and
the same texts, translated and formatted, for the directly written PDF."""

from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, get_currency_precision
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from legal.models import Certificate
from legal.qr import qr_png_uri


def amount_text(minor: int, currency: str, language: str) -> str:
    """E.g. "$1,234.50" in English, "1.234,50 US$" in Spanish; JPY has no decimals."""
    major = Decimal(minor).scaleb(-get_currency_precision(currency))
    return format_currency(major, currency, locale=translation.to_locale(language))


def awarded_on_text(certificate: Certificate) -> str:
    """E.g. "March 12, 2026" in English, "12 de marzo de 2026" in Spanish."""
    locale = translation.to_locale(certificate.language)
    return format_date(certificate.awarded_on, format="long", locale=locale)


@dataclass(frozen=True)
class CertificateTexts:
    """Every text on the certificate, in its language, as the HTML page words them."""

    language: str
    title: str
    brand: str
    heading: str
    presented_to: str
    name: str
    team: str
    for_solution: str
    challenge: str
    organization: str
    prize: str
    amount: str
    awarded_on: str
    awarded_on_label: str
    number: str
    number_label: str
    verify: str
    verify_url: str

    def joined(self) -> str:
        """All of them in one string, to check which characters the page needs."""
        return "".join(getattr(self, field) for field in self.__dataclass_fields__)


def certificate_texts(certificate: Certificate, *, verify_url: str) -> CertificateTexts:
    language = certificate.language
    with translation.override(language):
        team = certificate.team_name
        organization = certificate.organization_name
        return CertificateTexts(
            language=language,
            title=f"{_('Certificate of Recognition')} {certificate.number}",
            brand=_("Challenge Marketplace"),
            heading=_("Certificate of Recognition"),
            presented_to=_("This certificate is presented to"),
            name=certificate.recipient_name,
            team=_("as a member of team %(team)s") % {"team": team} if team else "",
            for_solution=_("for a winning solution to the challenge"),
            challenge=f"“{certificate.challenge_title}”",
            organization=(
                _("set by %(organization)s") % {"organization": organization}
                if organization
                else ""
            ),
            prize=_("Prize"),
            amount=amount_text(certificate.amount, certificate.currency, language),
            awarded_on=awarded_on_text(certificate),
            awarded_on_label=_("Awarded on"),
            number=certificate.number,
            number_label=_("Certificate number"),
            verify=_("Verify at"),
            verify_url=verify_url,
        )


def certificate_html(certificate: Certificate, *, verify_url: str) -> str:
    language = certificate.language
    with translation.override(language):
        return render_to_string(
            "legal/certificate.html",
            {
                "certificate": certificate,
                "language": language,
                "amount": amount_text(certificate.amount, certificate.currency, language),
                "awarded_on": awarded_on_text(certificate),
                "verify_url": verify_url,
                "qr": qr_png_uri(verify_url),
            },
        )
