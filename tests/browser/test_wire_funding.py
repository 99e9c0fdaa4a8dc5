"""Funding a large prize by bank transfer in a real browser, in English and in Spanish:
the Seeker finds the bank details and the reference to quote on the funding section and
downloads the pro-forma invoice (read back with pypdf),
staff record two partial transfers on their page (reached from the staff menu), and the
Seeker, now fully funded, opens the challenge. Every page is checked for accessibility
and, in Spanish, for English left on it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.references import wire_reference
from marketplace.escrow.services import funding_due
from payouts.models import Payment
from tests.browser.checks import check_page
from tests.browser.walk import log_in, log_out, submit, visit
from tests.factories import ChallengeFactory, MembershipFactory, StaffFactory, UserFactory
from tests.story import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POOL = 5_000_000  # 50,000.00; with the fee of 5,000.00 the Seeker transfers 55,000.00


def record_transfer(page, language: str, reference: str, amount: str, bank_reference: str):
    page.fill("#id_reference", reference)
    page.fill("#id_amount", amount)
    page.fill("#id_received_on", timezone.localdate().isoformat())
    page.fill("#id_bank_reference", bank_reference)
    submit(page, reverse("staff_wire"))
    expect(page.locator(".messages .success")).to_be_visible()
    check_page(page, language)


def test_a_prize_funded_by_two_bank_transfers(reader, live_server, language):
    page, url = reader, live_server.url
    owner = verified(UserFactory(full_name="Rita Levi"))
    membership = MembershipFactory(user=owner)
    challenge = ChallengeFactory(
        organization=membership.organization,
        created_by=owner,
        title="Low-temperature hydrogen catalyst",
        prize_pool=POOL,
        currency="EUR",
        state=S.AWAITING_FUNDING,
    )
    reference = wire_reference(challenge.pk)
    manage = url + reverse("seekers:challenge_manage", args=[challenge.pk])

    log_in(page, url, owner, language)
    visit(page, manage, language, shot="funding-wire")
    wire = page.locator("#pay-by-wire")
    expect(wire).to_contain_text(reference)
    expect(wire).to_contain_text("GB33BUKB20201555555555")
    expect(wire).to_contain_text("BUKBGB22")
    with page.expect_download() as downloading:
        wire.locator(
            f'form[action="{reverse("seekers:challenge_proforma", args=[challenge.pk])}"] button'
        ).click()
    invoice = downloading.value
    assert invoice.suggested_filename.startswith("proforma-invoice-")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(invoice.path()).pages)
    total = "55.000,00 €" if language == "es" else "€55,000.00"
    for expected in (reference, "GB33BUKB20201555555555", total, challenge.title):
        assert expected in text, expected
    assert ("Factura proforma" if language == "es" else "Pro-forma invoice") in text
    log_out(page)

    staff = verified(StaffFactory())
    log_in(page, url, staff, language)
    page.locator(".site-header details.staff summary").click()  # the staff menu
    page.locator(f'.site-header a[href="{reverse("staff_wire")}"]').click()
    check_page(page, language, shot="staff-wire")
    expect(page.locator(f"#awaiting-{challenge.pk}")).to_contain_text(reference)
    record_transfer(page, language, reference, "30000.00", "BANK-2026-001")
    assert funding_due(challenge)["outstanding"] == 2_500_000
    expect(page.locator(f"#awaiting-{challenge.pk} .badge")).to_be_visible()  # partially
    record_transfer(page, language, reference.lower(), "25000,00", "BANK-2026-002")
    assert funding_due(challenge)["outstanding"] == 0
    assert sorted(Payment.objects.values_list("provider_id", "amount")) == [
        ("BANK-2026-001", 3_000_000),
        ("BANK-2026-002", 2_500_000),
    ]
    log_out(page)

    log_in(page, url, owner, language)
    visit(page, manage, language)
    expect(page.locator("#pay-by-wire")).to_have_count(0)
    submit(page, reverse("seekers:challenge_transition", args=[challenge.pk, "open"]))
    expect(page.locator(".messages .success")).to_be_visible()
    check_page(page, language)
    assert Challenge.objects.get(pk=challenge.pk).state == S.OPEN
