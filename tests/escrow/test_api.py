"""Funding, the escrow statement and the staff ledger through the API: who may call
them, what they answer, bad input, idempotent retries and a gateway that is down."""

import pytest
import yaml
from django.core.management import call_command

from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_transition
from payouts.gateways import GatewayUnavailable
from payouts.gateways.base import PaymentOutcome
from payouts.gateways.local import LocalGateway
from payouts.models import Account, Entry, Payment, PaymentState
from tests.api_calls import ROLES, assert_error, call, client_for
from tests.db_guards import guards_off
from tests.factories import ChallengeFactory, fund_challenge

pytestmark = pytest.mark.django_db

TOTAL = 2_750_000  # pool 25,000.00 + fee 2,500.00


def expect(*statuses):
    return dict(zip(ROLES, statuses, strict=True))


def _challenge(p, state=S.AWAITING_FUNDING, **kwargs):
    return ChallengeFactory(
        organization=p["owner"].memberships.get().organization, state=state, **kwargs
    )


def _opened(p):
    challenge = _challenge(p, funded=True)
    return challenge_transition(challenge_id=challenge.pk, name="open", actor=p["owner"])


def fund_url(challenge) -> str:
    return f"/api/v1/challenges/{challenge.pk}/fund/"


def escrow_url(challenge) -> str:
    return f"/api/v1/challenges/{challenge.pk}/escrow/"


def money_rows() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Payment, Entry, Account)
    }


CASES = {
    "fund": (
        lambda p: ("post", fund_url(_challenge(p)), {}),
        expect(401, 404, 404, 403, 201, 201, 201),
    ),
    "fund an open challenge": (
        lambda p: ("post", fund_url(_challenge(p, S.OPEN)), {}),
        expect(401, 403, 403, 403, 409, 409, 409),
    ),
    "escrow of an open challenge": (
        lambda p: ("get", escrow_url(_opened(p)), None),
        expect(404, 404, 404, 200, 200, 200, 200),
    ),
    "escrow of a draft": (
        lambda p: ("get", escrow_url(_challenge(p, S.DRAFT)), None),
        expect(404, 404, 404, 200, 200, 200, 200),
    ),
    "ledger accounts": (
        lambda p: ("get", "/api/v1/ledger/accounts/", None),
        expect(401, 403, 403, 403, 403, 403, 200),
    ),
    "ledger entries": (
        lambda p: ("get", "/api/v1/ledger/entries/", None),
        expect(401, 403, 403, 403, 403, 403, 200),
    ),
    "ledger audit": (
        lambda p: ("get", "/api/v1/ledger/audit/", None),
        expect(401, 403, 403, 403, 403, 403, 200),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_permission_matrix(people, case, role):
    setup, statuses = CASES[case]
    method, url, data = setup(people)
    before = money_rows()
    response = call(people[role], method, url, data)
    assert response.status_code == statuses[role], response.content
    if response.status_code >= 400:
        assert_error(response, statuses[role])
    if response.status_code == 201:
        assert Payment.objects.get().created_by == people[role]
    else:
        assert money_rows() == before


@pytest.fixture
def awaiting(org):
    return ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)


def fund(user, challenge, data=None, key=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client_for(user).post(fund_url(challenge), data or {}, format="json", headers=headers)


class TestFund:
    def test_pays_what_is_outstanding(self, awaiting, owner):
        response = fund(owner, awaiting)
        assert response.status_code == 201
        payment = Payment.objects.get()
        assert response.json() == {
            "payment": {
                "id": payment.pk,
                "state": "succeeded",
                "amount": TOTAL,
                "currency": "USD",
                "gateway": "local",
                "test_money": True,
                "provider_id": f"local_pay_{payment.pk}",
                "failure_message": "",
                "created_at": response.json()["payment"]["created_at"],
                "confirmed_at": response.json()["payment"]["confirmed_at"],
            },
            "next_action": "none",
            "client_secret": None,
            "funding": {
                "pool": 2_500_000,
                "fee": 250_000,
                "total": TOTAL,
                "received": TOTAL,
                "outstanding": 0,
                "excess": 0,
            },
        }
        assert response.json()["payment"]["confirmed_at"] is not None
        assert (
            "open"
            in client_for(owner)
            .get(f"/api/v1/challenges/{awaiting.pk}/")
            .json()["available_transitions"]
        )

    def test_a_part_and_then_the_rest(self, awaiting, manager):
        first = fund(manager, awaiting, {"amount": "10000.00", "currency": "USD"})
        assert first.json()["funding"]["outstanding"] == 1_750_000
        rest = fund(manager, awaiting)
        assert rest.json()["payment"]["amount"] == 1_750_000
        assert rest.json()["funding"]["outstanding"] == 0
        assert fund(manager, awaiting).json()["code"] == "already_funded"

    def test_more_than_is_due_is_refused(self, awaiting, owner):
        fund(owner, awaiting, {"amount": 10000})
        body = assert_error(fund(owner, awaiting, {"amount": "27500.00"}), 409, "exceeds_due")
        assert body["detail"] == (
            "The amount is more than is still due: $17,500.00, counting payments that are "
            "on their way."
        )
        assert list(Payment.objects.values_list("amount", flat=True)) == [1_000_000]

    @pytest.mark.parametrize(
        "amount",
        [-1, 0, "1.005", 1.005, "100 USD", "1e2", 1e300, True, None, [100], {"v": 1}, 10**20],
    )
    def test_bad_amounts(self, awaiting, owner, amount):
        """Refused with a 400 naming the field, and nothing paid."""
        body = assert_error(fund(owner, awaiting, {"amount": amount}), 400, "invalid")
        assert body["fields"]["amount"]
        assert not Payment.objects.exists()

    @pytest.mark.parametrize("currency", ["EUR", "usd", "XYZ"])
    def test_currency_mismatch(self, awaiting, owner, currency):
        body = assert_error(fund(owner, awaiting, {"currency": currency}), 400, "currency_mismatch")
        assert "USD" in body["detail"]
        assert not Payment.objects.exists()

    def test_body_must_be_an_object(self, awaiting, owner):
        assert_error(fund(owner, awaiting, [1, 2]), 400, "invalid")
        assert not Payment.objects.exists()

    @pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW, S.OPEN, S.CANCELLED])
    def test_not_awaiting_funding_is_409_with_the_state(self, org, owner, state):
        challenge = ChallengeFactory(organization=org, state=state)
        body = assert_error(fund(owner, challenge, {"amount": 100}), 409, "not_awaiting_funding")
        assert body["state"] == state
        assert not Payment.objects.exists()

    def test_gateway_needs_the_payer(self, awaiting, owner, monkeypatch):
        monkeypatch.setattr(
            LocalGateway,
            "start_payment",
            lambda self, payment, payment_method=None: PaymentOutcome(
                status="pending",
                provider_id="pi_123",
                client_secret="pi_123_secret_abc",
                next_action="confirm_card_payment",
            ),
        )
        body = fund(owner, awaiting, {"payment_method": "pm_card_visa"}).json()
        assert body["payment"]["state"] == "pending"
        assert body["next_action"] == "confirm_card_payment"
        assert body["client_secret"] == "pi_123_secret_abc"
        assert body["funding"]["received"] == 0

    def test_provider_still_processing(self, awaiting, owner, monkeypatch):
        monkeypatch.setattr(
            LocalGateway,
            "start_payment",
            lambda self, payment, payment_method=None: PaymentOutcome(
                status="pending", provider_id="pi_9"
            ),
        )
        body = fund(owner, awaiting).json()
        assert (body["next_action"], body["client_secret"]) == ("wait", None)

    def test_declined(self, awaiting, owner, monkeypatch):
        monkeypatch.setattr(
            LocalGateway,
            "start_payment",
            lambda self, payment, payment_method=None: PaymentOutcome(
                status="failed", provider_id="pi_bad", failure_message="Card declined."
            ),
        )
        body = fund(owner, awaiting).json()
        assert body["payment"]["state"] == "failed"
        assert body["payment"]["failure_message"] == "Card declined."
        assert body["next_action"] == "retry"


class TestIdempotency:
    def test_the_same_key_answers_with_the_same_payment(self, awaiting, owner):
        first = fund(owner, awaiting, key="order-7")
        again = fund(owner, awaiting, key="order-7")
        assert again.status_code == 201
        assert again.json()["payment"] == first.json()["payment"]
        assert Payment.objects.count() == 1

    def test_keys_belong_to_their_caller(self, awaiting, owner, manager):
        fund(owner, awaiting, {"amount": "10.00"}, key="same")
        fund(manager, awaiting, {"amount": "10.00"}, key="same")
        assert Payment.objects.count() == 2

    def test_the_same_key_for_another_amount_is_refused(self, awaiting, owner):
        fund(owner, awaiting, {"amount": "10.00"}, key="k1")
        body = assert_error(fund(owner, awaiting, {"amount": "20.00"}, key="k1"), 400, "invalid")
        assert "idempotency_key" in body["fields"]
        assert Payment.objects.count() == 1

    @pytest.mark.parametrize("key", ["", "has space", "x" * 101, "naïve"])
    def test_bad_keys(self, awaiting, owner, key):
        body = assert_error(fund(owner, awaiting, key=key), 400, "invalid")
        assert "Idempotency-Key" in body["fields"]
        assert not Payment.objects.exists()

    def test_gateway_down_then_retry_with_the_same_key(self, awaiting, owner, monkeypatch):
        def down(self, payment, payment_method=None):
            raise GatewayUnavailable("timed out")

        monkeypatch.setattr(LocalGateway, "start_payment", down)
        body = assert_error(fund(owner, awaiting, key="retry-me"), 503, "gateway_unavailable")
        assert "same Idempotency-Key" in body["detail"]
        assert Payment.objects.get().state == PaymentState.PENDING
        monkeypatch.undo()
        response = fund(owner, awaiting, key="retry-me")
        assert response.status_code == 201
        assert response.json()["payment"]["state"] == "succeeded"
        assert Payment.objects.count() == 1
        assert Entry.objects.filter(kind="fund").count() == 1

    def test_gateway_down_without_a_key_says_to_send_one(self, awaiting, owner, monkeypatch):
        def down(self, payment, payment_method=None):
            raise GatewayUnavailable("timed out")

        monkeypatch.setattr(LocalGateway, "start_payment", down)
        body = assert_error(fund(owner, awaiting), 503, "gateway_unavailable")
        assert "Send an Idempotency-Key" in body["detail"]


class TestEscrow:
    def test_statement_payments_and_entries(self, org, owner, judge):
        challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING, funded=True)
        challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
        body = client_for(judge).get(escrow_url(challenge)).json()
        assert body["challenge"] == challenge.pk and body["currency"] == "USD"
        assert body["statement"] == {
            "received": TOTAL,
            "fee": 250_000,
            "held": 2_500_000,
            "owed": 0,
            "paid": 0,
            "refunded": 0,
            "unallocated": 0,
            "balanced": True,
        }
        assert body["funding"] is None
        assert [p["state"] for p in body["payments"]] == ["succeeded"]
        assert [e["kind"] for e in body["entries"]] == ["fund", "open"]
        opening = body["entries"][1]
        assert opening["idempotency_key"] == f"open:{challenge.pk}"
        assert {leg["account"]: leg["amount"] for leg in opening["legs"]} == {
            f"challenge:{challenge.pk}:funding": -TOTAL,
            f"challenge:{challenge.pk}:escrow": 2_500_000,
            "platform:fees:USD": 250_000,
        }
        for entry in body["entries"]:
            assert sum(leg["amount"] for leg in entry["legs"]) == 0

    def test_before_opening_shows_what_is_due(self, awaiting, owner):
        fund_challenge(awaiting, amount=1000)
        body = client_for(owner).get(escrow_url(awaiting)).json()
        assert body["funding"]["received"] == 1000
        assert body["funding"]["outstanding"] == TOTAL - 1000
        assert body["statement"]["unallocated"] == 1000


class TestLedger:
    @pytest.fixture
    def two(self, org, owner):
        opened = []
        for currency in ("USD", "EUR"):
            challenge = ChallengeFactory(
                organization=org, state=S.AWAITING_FUNDING, funded=True, currency=currency
            )
            opened.append(challenge_transition(challenge_id=challenge.pk, name="open", actor=owner))
        return opened

    def test_accounts_with_filters(self, staff, two):
        api = client_for(staff)
        body = api.get("/api/v1/ledger/accounts/").json()
        assert body["count"] == 8
        escrow = api.get("/api/v1/ledger/accounts/", {"purpose": "escrow", "currency": "EUR"})
        assert [(a["code"], a["balance"]) for a in escrow.json()["results"]] == [
            (f"challenge:{two[1].pk}:escrow", 2_500_000)
        ]

    @pytest.mark.parametrize("params", [{"purpose": "savings"}, {"currency": "XYZ"}])
    def test_bad_filters(self, staff, params):
        body = assert_error(client_for(staff).get("/api/v1/ledger/accounts/", params), 400)
        assert set(body["fields"]) == set(params)

    def test_entries_by_reference_and_key(self, staff, two):
        api = client_for(staff)
        everything = api.get("/api/v1/ledger/entries/").json()
        assert everything["count"] == 4
        assert [e["kind"] for e in everything["results"]] == ["open", "fund", "open", "fund"]
        mine = api.get("/api/v1/ledger/entries/", {"reference": f"challenge:{two[0].pk}"}).json()
        assert {e["reference"] for e in mine["results"]} == {f"challenge:{two[0].pk}"}
        assert mine["count"] == 2
        one = api.get("/api/v1/ledger/entries/", {"idempotency_key": f"open:{two[1].pk}"}).json()
        assert [e["idempotency_key"] for e in one["results"]] == [f"open:{two[1].pk}"]
        assert len(one["results"][0]["legs"]) == 3

    @pytest.mark.corrupts_ledger
    def test_audit(self, staff, two):
        api = client_for(staff)
        body = api.get("/api/v1/ledger/audit/").json()
        assert body["clean"] is True and body["breaches"] == []
        assert body["checked"]["entries"] == 4
        with guards_off():
            Account.objects.filter(code=f"challenge:{two[0].pk}:escrow").update(balance=5)
        body = api.get("/api/v1/ledger/audit/").json()
        assert body["clean"] is False
        assert any(f"challenge:{two[0].pk}:escrow" in breach for breach in body["breaches"])


def test_schema_documents_the_endpoints(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    fund_op = paths["/api/v1/challenges/{id}/fund/"]["post"]
    assert {"400", "401", "403", "404", "409", "503"} <= set(fund_op["responses"])
    assert "Idempotency-Key" in [p["name"] for p in fund_op["parameters"]]
    for path in (
        "/api/v1/challenges/{id}/escrow/",
        "/api/v1/ledger/accounts/",
        "/api/v1/ledger/entries/",
        "/api/v1/ledger/audit/",
    ):
        assert "get" in paths[path]
