"""Billing documents on the pages: the funding section lists them, the pro-forma button
downloads the invoice, each PDF (read back with pypdf) shows what it must in the
reader's language, only the organisation's owners and managers and staff can download
them, and the organisation page keeps the billing details."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from marketplace.billing.models import BillingDocument
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.references import wire_reference
from marketplace.escrow.services import challenge_fund
from marketplace.escrow.wire import wire_refund_record, wire_transfer_record
from marketplace.lifecycle.services import challenge_transition
from payouts.models import Refund
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

TOTAL = 2_750_000


@pytest.fixture
def awaiting(org, owner):
    org.billing_name = "Helix Materials Lab S.L."
    org.billing_address = "Calle Mayor 1\n28013 Madrid"
    org.tax_id = "ESB12345678"
    org.save()
    return ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)


def client(user, language="en") -> Client:
    browser = Client()
    browser.force_login(user)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return browser


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_proforma_button_downloads_the_invoice_with_reference_and_bank(awaiting, owner):
    response = client(owner).post(reverse("seekers:challenge_proforma", args=[awaiting.pk]))
    document = BillingDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing_document", args=[document.pk])
    download = client(owner).get(response["Location"])
    assert f'filename="proforma-invoice-{document.number}.pdf"' in download["Content-Disposition"]
    text = flat(pdf_text(download))
    for expected in (
        "Pro-forma invoice",
        document.number,
        wire_reference(awaiting.pk),
        settings.WIRE_BANK_DETAILS["iban"],
        "Helix Materials Lab S.L.",
        "Calle Mayor 1",
        "ESB12345678",
        "$25,000.00",  # pool
        "$2,500.00",  # fee
        "$27,500.00",  # total and due
        "10% up to $100,000.00; 5% above $100,000.00",
        "Example account",
    ):
        assert expected in text, expected


def test_a_spanish_reader_gets_the_receipt_in_spanish(awaiting, owner):
    challenge_fund(challenge_id=awaiting.pk, actor=owner)
    receipt = BillingDocument.objects.get(kind="receipt")
    text = flat(pdf_text(client(owner, "es").get(reverse("billing_document", args=[receipt.pk]))))
    assert "Recibo" in text
    assert "27.500,00 US$" in text
    assert "Receipt" not in text


def test_the_tax_the_fee_includes_is_shown_when_configured(awaiting, owner, settings):
    settings.MARKETPLACE_TAX_RATE = "0.21"
    challenge_fund(challenge_id=awaiting.pk, actor=owner)
    receipt = BillingDocument.objects.get(kind="receipt")
    assert (receipt.details["fee_net"], receipt.details["tax"]) == (206_612, 43_388)
    assert Decimal(receipt.details["tax_rate"]) == Decimal("0.21")
    text = flat(pdf_text(client(owner).get(reverse("billing_document", args=[receipt.pk]))))
    assert "The platform fee of $2,500.00 includes tax of $433.88 at 21%." in text
    assert "$2,066.12" in text


def test_a_credit_note_shows_the_refund_and_the_receipt_it_credits(awaiting, owner, staff):
    wire_transfer_record(
        reference=wire_reference(awaiting.pk),
        amount=TOTAL,
        received_on=timezone.localdate(),
        bank_reference="BANK-1",
        actor=staff,
    )
    challenge_transition(challenge_id=awaiting.pk, name="cancel", actor=owner, reason="Budget")
    refund = awaiting_refund(awaiting)
    wire_refund_record(
        refund_id=refund.pk, sent_on=timezone.localdate(), bank_reference="BANK-R", actor=staff
    )
    note = BillingDocument.objects.get(kind="credit_note")
    receipt = BillingDocument.objects.get(kind="receipt")
    text = flat(pdf_text(client(staff).get(reverse("billing_document", args=[note.pk]))))
    assert "Credit note" in text
    assert "\N{MINUS SIGN}$27,500.00" in text
    assert f"Credits receipt {receipt.number}." in text
    assert "bank transfer" in text


def awaiting_refund(challenge):
    return Refund.objects.get(payment__subject=f"challenge:{challenge.pk}")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("staff", 200),
        ("judge", 404),
        ("solver", 404),
        ("outsider", 404),
    ],
)
def test_who_may_download(awaiting, owner, who, status, request):
    challenge_fund(challenge_id=awaiting.pk, actor=owner)
    receipt = BillingDocument.objects.get()
    response = client(request.getfixturevalue(who)).get(
        reverse("billing_document", args=[receipt.pk])
    )
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_log_in(awaiting, owner):
    challenge_fund(challenge_id=awaiting.pk, actor=owner)
    receipt = BillingDocument.objects.get()
    response = Client().get(reverse("billing_document", args=[receipt.pk]))
    assert response.status_code == 302


def test_the_funding_section_lists_the_documents_for_editors_and_staff(
    awaiting, owner, staff, judge
):
    challenge_fund(challenge_id=awaiting.pk, actor=owner)
    receipt = BillingDocument.objects.get()
    url = reverse("seekers:challenge_manage", args=[awaiting.pk])
    link = reverse("billing_document", args=[receipt.pk])
    assert link in client(owner).get(url).content.decode()
    assert link in client(staff).get(url).content.decode()
    shown = client(judge).get(url)
    assert link not in shown.content.decode()


def test_managers_keep_the_billing_details_on_the_organisation_page(org, manager, judge):
    page = reverse("seekers:organization_members", args=[org.pk])
    assert "Billing details" in client(manager).get(page).content.decode()
    assert "Billing details" not in client(judge).get(page).content.decode()
    response = client(manager).post(
        reverse("seekers:organization_billing", args=[org.pk]),
        {"billing_name": "Helix S.L.", "billing_address": "Calle Mayor 1", "tax_id": "esb1"},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.billing_name, org.billing_address, org.tax_id) == (
        "Helix S.L.",
        "Calle Mayor 1",
        "ESB1",
    )
    client(judge).post(
        reverse("seekers:organization_billing", args=[org.pk]),
        {"billing_name": "Hijacked", "billing_address": "", "tax_id": ""},
    )
    org.refresh_from_db()
    assert org.billing_name == "Helix S.L."
