"""Staff ledger pages: accounts and balances, entries, one account, payments, refunds,
flagged provider events and the audit. Everyone but staff gets 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_transition
from marketplace.staff import ledger_views as ledger
from payouts.gateways.base import PaymentOutcome
from payouts.gateways.local import LocalGateway
from payouts.models import Account, Entry, GatewayEvent, Payment, PaymentState
from tests.db_guards import guards_off
from tests.factories import ChallengeFactory, fund_challenge

pytestmark = pytest.mark.django_db

PAGES = [
    "ledger_accounts",
    "ledger_entries",
    "ledger_payments",
    "ledger_refunds",
    "ledger_events",
    "ledger_audit",
]


def opened(org, actor, **kwargs):
    challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING, funded=True, **kwargs)
    return challenge_transition(challenge_id=challenge.pk, name="open", actor=actor)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def challenge(org, owner):
    return opened(org, owner)


def content(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


class TestAccess:
    @pytest.mark.parametrize(
        "who", ["anonymous", "solver", "outsider", "judge", "manager", "owner"]
    )
    def test_404_for_everyone_but_staff(self, client, request, challenge, who):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        account = Account.objects.first()
        urls = [reverse(name) for name in PAGES] + [reverse("ledger_account", args=[account.pk])]
        for url in urls:
            assert client.get(url).status_code == 404, url

    def test_staff_see_every_page(self, staff_client, challenge):
        account = Account.objects.first()
        for url in [reverse(name) for name in PAGES] + [
            reverse("ledger_account", args=[account.pk])
        ]:
            assert staff_client.get(url).status_code == 200, url

    def test_nav_link_only_for_staff(self, client, owner, staff):
        client.force_login(owner)
        assert reverse("ledger_accounts") not in content(client, reverse("home"))
        client.force_login(staff)
        page = content(client, reverse("home"))
        assert f'<a href="{reverse("ledger_accounts")}">Ledger</a>' in page


class TestAccounts:
    def test_balances(self, staff_client, challenge):
        page = content(staff_client, reverse("ledger_accounts"))
        for text in (
            f"challenge:{challenge.pk}:escrow",
            "Challenge escrow",
            "$25,000.00",
            "platform:fees:USD",
            "$2,500.00",
            "gateway:local:clearing:USD",
            "-$27,500.00",
            "4 accounts",
        ):
            assert text in page, text

    def test_filter_by_purpose_and_currency(self, staff_client, org, owner, challenge):
        euro = opened(org, owner, currency="EUR")
        page = staff_client.get(reverse("ledger_accounts"), {"purpose": "escrow"})
        codes = [a.code for a in page.context["page"].object_list]
        assert codes == [f"challenge:{challenge.pk}:escrow", f"challenge:{euro.pk}:escrow"]
        page = staff_client.get(reverse("ledger_accounts"), {"currency": "EUR"})
        assert {a.currency for a in page.context["page"].object_list} == {"EUR"}
        assert len(page.context["page"].object_list) == 4

    def test_bad_filter_shows_its_error_and_is_ignored(self, staff_client, challenge):
        response = staff_client.get(reverse("ledger_accounts"), {"purpose": "savings"})
        assert response.context["form"].errors["purpose"]
        assert len(response.context["page"].object_list) == 4

    def test_paginated_keeping_the_filter(self, staff_client, org, owner, monkeypatch):
        monkeypatch.setattr(ledger, "PAGE_SIZE", 2)
        for _ in range(3):
            opened(org, owner)
        first = staff_client.get(reverse("ledger_accounts"), {"purpose": "escrow"})
        assert len(first.context["page"].object_list) == 2
        assert 'href="?purpose=escrow&amp;page=2"' in first.content.decode()
        second = staff_client.get(reverse("ledger_accounts"), {"purpose": "escrow", "page": 2})
        assert len(second.context["page"].object_list) == 1

    def test_one_account_and_its_legs(self, staff_client, challenge):
        account = Account.objects.get(code=f"challenge:{challenge.pk}:funding")
        page = content(staff_client, reverse("ledger_account", args=[account.pk]))
        for text in (account.code, "Challenge funding", "$27,500.00", "-$27,500.00"):
            assert text in page
        assert f"fund:{Payment.objects.get().pk}" in page
        assert f"open:{challenge.pk}" in page

    def test_unknown_account_is_404(self, staff_client):
        assert staff_client.get(reverse("ledger_account", args=[999])).status_code == 404


class TestEntries:
    def test_newest_first_with_legs(self, staff_client, challenge):
        response = staff_client.get(reverse("ledger_entries"))
        entries = list(response.context["page"].object_list)
        assert [e.kind for e in entries] == ["open", "fund"]
        page = response.content.decode()
        for text in (
            f"open:{challenge.pk}",
            "Challenge opened: prize pool into escrow, platform fee earned",
            f"challenge:{challenge.pk}:escrow",
            "$25,000.00",
            "2 entries, newest first",
        ):
            assert text in page

    @pytest.mark.parametrize("search", ["reference", "key"])
    def test_search(self, staff_client, org, owner, challenge, search):
        other = opened(org, owner)
        q = f"challenge:{other.pk}" if search == "reference" else f"open:{other.pk}"
        response = staff_client.get(reverse("ledger_entries"), {"q": q})
        found = list(response.context["page"].object_list)
        assert {e.reference for e in found} == {f"challenge:{other.pk}"}
        assert len(found) == (2 if search == "reference" else 1)
        assert f"for “{q}”" in response.content.decode()

    def test_queries_do_not_grow_with_page_size(self, staff_client, org, owner):
        def count(challenges: int) -> int:
            while Entry.objects.filter(kind="open").count() < challenges:
                opened(org, owner)
            with CaptureQueriesContext(connection) as ctx:
                response = staff_client.get(reverse("ledger_entries"))
            assert len(response.context["page"].object_list) == 2 * challenges
            return len(ctx.captured_queries)

        assert count(2) == count(12)


class TestPaymentsRefundsEvents:
    def test_payments_with_state_and_provider_id(self, staff_client, org, challenge, monkeypatch):
        monkeypatch.setattr(
            LocalGateway,
            "start_payment",
            lambda self, payment, payment_method=None: PaymentOutcome(
                status="failed", provider_id="", failure_message="Card declined."
            ),
        )
        payment = fund_challenge(
            ChallengeFactory(organization=org, state=S.AWAITING_FUNDING), amount=1000
        )
        assert payment.state == PaymentState.FAILED
        page = content(staff_client, reverse("ledger_payments"))
        first = Payment.objects.get(subject=f"challenge:{challenge.pk}")
        for text in (
            f"local_pay_{first.pk}",
            "Succeeded",
            "Failed",
            "Card declined.",
            "test money",
            f"challenge:{challenge.pk}",
            "$27,500.00",
        ):
            assert text in page
        failed = staff_client.get(reverse("ledger_payments"), {"state": "failed"})
        assert [p.pk for p in failed.context["page"].object_list] == [payment.pk]

    def test_refunds(self, staff_client, challenge, staff, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            challenge_transition(
                challenge_id=challenge.pk, name="cancel", actor=staff, reason="Fraud."
            )
        page = content(staff_client, reverse("ledger_refunds"))
        for text in ("Fraud.", "Succeeded", "local_refund_", "escrow", "$25,000.00"):
            assert text in page

    def test_only_unknown_events(self, staff_client):
        GatewayEvent.objects.create(
            gateway="stripe",
            event_id="evt_unknown",
            type="payment_intent.succeeded",
            payload={},
            outcome=GatewayEvent.Outcome.UNKNOWN,
            note="No payment with provider id pi_404.",
        )
        GatewayEvent.objects.create(
            gateway="stripe",
            event_id="evt_done",
            type="payment_intent.succeeded",
            payload={},
            outcome=GatewayEvent.Outcome.PROCESSED,
        )
        page = content(staff_client, reverse("ledger_events"))
        assert "evt_unknown" in page and "No payment with provider id pi_404." in page
        assert "evt_done" not in page


class TestAudit:
    def test_clean(self, staff_client, challenge):
        page = content(staff_client, reverse("ledger_audit"))
        assert "Clean: no breach found." in page
        assert "<dt>Entries</dt><dd>2</dd>" in page
        assert "<dt>Accounts</dt><dd>4</dd>" in page

    @pytest.mark.corrupts_ledger
    def test_breaches_are_listed(self, staff_client, challenge):
        code = f"challenge:{challenge.pk}:escrow"
        with guards_off():
            Account.objects.filter(code=code).update(balance=2_400_000)
        page = content(staff_client, reverse("ledger_audit"))
        assert "Clean" not in page
        assert f"account {code}: cached balance 2400000, legs say 2500000" in page
