"""The certificate page: its HTML in the certificate's language, with the award and the
date formatted for that language and a QR code pointing to its verification page."""

from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, get_currency_precision
from django.template.loader import render_to_string
from django.utils import translation

from legal.models import Certificate
from legal.qr import qr_png_uri


def amount_text(minor: int, currency: str, language: str) -> str:
    """E.g. "$1,234.50" in English, "1.234,50 US$" in Spanish; JPY has no decimals."""
    major = Decimal(minor).scaleb(-get_currency_precision(currency))
    return format_currency(major, currency, locale=translation.to_locale(language))


def certificate_html(certificate: Certificate, *, verify_url: str) -> str:
    language = certificate.language
    with translation.override(language):
        return render_to_string(
            "legal/certificate.html",
            {
                "certificate": certificate,
                "language": language,
                "amount": amount_text(certificate.amount, certificate.currency, language),
                "awarded_on": format_date(
                    certificate.awarded_on, format="long", locale=translation.to_locale(language)
                ),
                "verify_url": verify_url,
                "qr": qr_png_uri(verify_url),
            },
        )
