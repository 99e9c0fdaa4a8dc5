"""A billing document as a PDF in the reader's language, printed from what the document
kept when it was issued."""

from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from legal.pdf import html_to_pdf
from marketplace.billing.models import BillingDocument, DocumentKind
from payouts.currency import exponent, format_money, format_percentage

GATEWAY_LABELS = {
    "local": gettext_lazy("test money (nothing was charged)"),
    "stripe": gettext_lazy("card"),
    "wire": gettext_lazy("bank transfer"),
}


def fee_tiers_text(tiers: list, currency: str, language: str) -> str:
    """ "10% up to $100,000.00; 5% above" for the tiers a fee was worked out with."""
    scale = 10 ** exponent(currency)
    parts, lower = [], None
    for upper, rate in tiers:
        percent = format_percentage(Decimal(rate) * 100, language)
        if upper is None:
            parts.append(
                _("%(rate)s above %(amount)s")
                % {"rate": percent, "amount": format_money(lower, currency, language)}
                if lower is not None
                else percent
            )
        else:
            upper_minor = int(Decimal(upper) * scale)
            parts.append(
                _("%(rate)s up to %(amount)s")
                % {"rate": percent, "amount": format_money(upper_minor, currency, language)}
            )
            lower = upper_minor
    return "; ".join(parts)


def document_context(document: BillingDocument, language: str) -> dict:
    details, currency = document.details, document.currency

    def money(minor: int) -> str:
        return format_money(minor, currency, language)

    def day(iso: str) -> str:
        return formats.date_format(date.fromisoformat(iso), "DATE_FORMAT")

    rate = Decimal(details["tax_rate"])
    context = {
        "language": language,
        "document": document,
        "details": details,
        "is_proforma": document.kind == DocumentKind.PROFORMA,
        "is_receipt": document.kind == DocumentKind.RECEIPT,
        "is_credit_note": document.kind == DocumentKind.CREDIT_NOTE,
        "issued_on": formats.date_format(document.issued_at, "DATE_FORMAT"),
        "amount": money(document.amount),
        "pool": money(details["pool"]),
        "fee": money(details["fee"]),
        "fee_net": money(details["fee_net"]),
        "tax": money(details["tax"]) if rate > 0 else "",
        "tax_rate": format_percentage(rate * 100, language) if rate > 0 else "",
        "fee_tiers": fee_tiers_text(details["fee_tiers"], currency, language),
        "total": money(details["total"]),
        "received": money(details["received"]),
        "outstanding": money(details["outstanding"]),
    }
    if "payment" in details:
        payment = details["payment"]
        context["paid_by"] = GATEWAY_LABELS.get(payment["gateway"], payment["gateway"])
        context["received_on"] = day(payment["received_on"])
    if "refund" in details:
        refund = details["refund"]
        context["paid_by"] = GATEWAY_LABELS.get(refund["gateway"], refund["gateway"])
        context["completed_on"] = day(refund["completed_on"])
    return context


def document_pdf(document: BillingDocument, *, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            "marketplace/billing/document.html", document_context(document, language)
        )
    return html_to_pdf(html, identifier=f"billing:{document.number}:{language}")
