"""The staff page of bank transfers: who sees it (staff; everyone else 404), the
challenges awaiting funding with their reference and what is outstanding, recording a
transfer in major units with its errors on the form, the wire refunds waiting with the
Seeker's details, recording one as sent; the Seeker's funding section with the bank
details and the reference."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import ChallengeState as S
from marketplace.core.references import wire_reference
from marketplace.escrow.services import challenge_refund_excess, funding_due
from marketplace.escrow.wire import wire_transfer_record
from marketplace.lifecycle.services import challenge_transition
from payouts.models import Payment, Refund, RefundState
from payouts.tasks import execute_refund
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

URL = reverse("staff_wire")


def today():
    """Worked out when a test runs, not when the module is imported (a run may cross midnight)."""
    return timezone.localdate()


TOTAL = 2_750_000


@pytest.fixture
def staff_client(client, staff):
    cache.clear()
    client.force_login(staff)
    return client


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(
        organization=org, created_by=owner, state=S.AWAITING_FUNDING, title="Sea-water film"
    )


def form(challenge, **changes) -> dict:
    return {
        "reference": wire_reference(challenge.pk),
        "amount": "10000.00",
        "received_on": today().isoformat(),
        "bank_reference": "STMT-1",
        **changes,
    }


def recorded(challenge, staff, amount: int, bank_reference: str) -> Payment:
    return wire_transfer_record(
        reference=wire_reference(challenge.pk),
        amount=amount,
        received_on=today(),
        bank_reference=bank_reference,
        actor=staff,
    )


@pytest.fixture
def waiting_refund(awaiting, staff, owner) -> Refund:
    recorded(awaiting, staff, TOTAL + 40_000, "STMT-OVER")
    challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)
    challenge_refund_excess(challenge_id=awaiting.pk, actor=owner)
    [refund] = Refund.objects.all()
    execute_refund(refund.pk)  # what the task does after commit: the wire sends nothing
    return Refund.objects.get(pk=refund.pk)


@pytest.mark.parametrize("who", ["anonymous", "solver", "owner", "manager"])
def test_404_for_everyone_but_staff(client, request, awaiting, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, form(awaiting)).status_code == 404
    assert client.post(reverse("staff_wire_refund_sent", args=[1])).status_code == 404
    assert not Payment.objects.exists()


def test_the_staff_menu_and_dashboard_link_the_page(staff_client):
    assert staff_client.get(reverse("staff_dashboard")).content.decode().count(f'href="{URL}"') == 2


def test_awaiting_challenges_with_reference_and_outstanding(staff_client, awaiting, staff):
    recorded(awaiting, staff, 1_000_000, "STMT-0")
    page = staff_client.get(URL).content.decode()
    assert "Sea-water film" in page and wire_reference(awaiting.pk) in page
    for amount in ("$27,500.00", "$10,000.00", "$17,500.00"):
        assert amount in page
    assert "Partially funded" in page
    assert "STMT-0" in page and staff.email in page  # recorded lately, by whom


def test_recording_a_transfer_in_major_units(staff_client, awaiting, staff):
    response = staff_client.post(URL, form(awaiting, amount="10000,50"), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Transfer of $10,000.50 recorded for “Sea-water film”." in response.content.decode()
    payment = Payment.objects.get()
    assert (payment.amount, payment.gateway, payment.provider_id, payment.created_by) == (
        1_000_050,
        "wire",
        "STMT-1",
        staff,
    )
    assert funding_due(awaiting)["received"] == 1_000_050


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"reference": "MP00000000"}, "reference", "check it for typing errors"),
        ({"amount": "100.001"}, "amount", "at most 2 decimal places"),
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount": "lots"}, "amount", "Enter the amount as a number"),
        (
            {"received_on": (today() + timedelta(days=2)).isoformat()},
            "received_on",
            "cannot be in the future",
        ),
        ({"bank_reference": "STMT-0"}, "bank_reference", "already recorded"),
    ],
)
def test_errors_on_the_form(staff_client, awaiting, staff, changes, field, text):
    recorded(awaiting, staff, 500_000, "STMT-0")
    response = staff_client.post(URL, form(awaiting, **changes))
    assert response.status_code == 400
    assert text in " ".join(response.context["form"].errors[field])
    assert Payment.objects.count() == 1


def test_a_challenge_in_review_is_refused_on_the_form(staff_client, org, owner):
    challenge = ChallengeFactory(organization=org, created_by=owner, state=S.IN_REVIEW)
    response = staff_client.post(URL, form(challenge))
    assert response.status_code == 400
    assert "cannot take money" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_waiting_refund_is_listed_and_recorded_as_sent(
    staff_client, waiting_refund, awaiting, owner
):
    assert waiting_refund.state == RefundState.PENDING
    page = staff_client.get(URL).content.decode()
    assert f'id="wire-refund-{waiting_refund.pk}"' in page
    for shown in ("$400.00", "STMT-OVER", owner.email, awaiting.organization.name):
        assert shown in page
    action = reverse("staff_wire_refund_sent", args=[waiting_refund.pk])
    prefix = f"refund-{waiting_refund.pk}"
    response = staff_client.post(action, {f"{prefix}-sent_on": today().isoformat()})
    assert response.status_code == 400
    assert response.context["refunds"][0][1].errors["bank_reference"]
    response = staff_client.post(
        action,
        {f"{prefix}-sent_on": today().isoformat(), f"{prefix}-bank_reference": "BACK-9"},
        follow=True,
    )
    assert "recorded as sent" in response.content.decode()
    refund = Refund.objects.get(pk=waiting_refund.pk)
    assert (refund.state, refund.provider_id) == (RefundState.SUCCEEDED, "BACK-9")
    assert f'id="wire-refund-{refund.pk}"' not in response.content.decode()
    again = staff_client.post(
        action,
        {f"{prefix}-sent_on": today().isoformat(), f"{prefix}-bank_reference": "BACK-10"},
    )
    assert again.status_code == 400
    assert "no longer waiting" in again.content.decode()


class TestTheSeekersFundingSection:
    def test_bank_details_reference_and_outstanding(self, client, awaiting, owner, staff):
        recorded(awaiting, staff, 1_000_000, "STMT-0")
        client.force_login(owner)
        page = client.get(reverse("seekers:challenge_manage", args=[awaiting.pk])).content.decode()
        assert "Pay by bank transfer" in page and "Quote this reference" in page
        assert wire_reference(awaiting.pk) in page
        assert "GB33BUKB20201555555555" in page and "Example account." in page
        assert "$17,500.00" in page and "Partially funded" in page

    def test_not_shown_once_fully_funded(self, client, awaiting, owner, staff):
        recorded(awaiting, staff, TOTAL, "STMT-0")
        client.force_login(owner)
        page = client.get(reverse("seekers:challenge_manage", args=[awaiting.pk])).content.decode()
        assert "Pay by bank transfer" not in page
        assert "Fully funded: the challenge can open." in page

    def test_real_bank_details_are_not_called_an_example(self, client, awaiting, owner, settings):
        settings.WIRE_BANK_DETAILS = {**settings.WIRE_BANK_DETAILS, "example": False}
        client.force_login(owner)
        page = client.get(reverse("seekers:challenge_manage", args=[awaiting.pk])).content.decode()
        assert "Pay by bank transfer" in page and "Example account." not in page

    def test_money_held_after_cancelling_is_shown_refundable(self, client, awaiting, owner, staff):
        challenge_transition(
            challenge_id=awaiting.pk, name="cancel", actor=owner, reason="Budget cut"
        )
        recorded(awaiting, staff, 300_000, "LATE-1")
        client.force_login(owner)
        page = client.get(reverse("seekers:challenge_manage", args=[awaiting.pk])).content.decode()
        assert "Still held for this cancelled challenge: $3,000.00." in page
        assert reverse("seekers:challenge_refund_excess", args=[awaiting.pk]) in page

    def test_money_held_after_no_award_is_shown_refundable(self, client, org, owner, staff):
        ended = ChallengeFactory(organization=org, created_by=owner, state=S.NO_AWARD)
        recorded(ended, staff, 300_000, "LATE-2")
        client.force_login(owner)
        url = reverse("seekers:challenge_manage", args=[ended.pk])
        page = client.get(url).content.decode()
        assert "which ended without a winner: $3,000.00." in page
        assert "Paid beyond pool and fee" not in page
        client.post(reverse("seekers:challenge_refund_excess", args=[ended.pk]))
        refund = Refund.objects.get(payment__provider_id="LATE-2")
        assert refund.amount == 300_000
