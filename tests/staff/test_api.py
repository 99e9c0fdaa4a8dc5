"""The staff API of deeds, payouts and the dashboard: staff only (everyone else 404),
what each answers, bad input, and a failed payout retried until it is paid."""

import pytest
import yaml
from django.core.management import call_command

from marketplace.awards.models import Award, AwardState
from payouts.models import Payout, PayoutState
from payouts.selectors import statement
from payouts.services import payouts as payout_service
from tests.api_calls import ROLES, assert_error, call
from tests.staff.test_pages_awards import (
    REFUSAL,
    SNEAKY_AGENT,
    RefusingGateway,
    awarding_challenge,
    release,
    verified_award,
)

pytestmark = pytest.mark.django_db

READS = ["/api/v1/staff/deeds/", "/api/v1/staff/payouts/", "/api/v1/staff/dashboard/"]


def retry_url(payout) -> str:
    return f"/api/v1/staff/payouts/{payout.pk}/retry/"


@pytest.fixture
def failed_payout(org, owner, refusing_gateway, django_capture_on_commit_callbacks):
    award = release(verified_award(org, owner), django_capture_on_commit_callbacks)
    payout = Payout.objects.get(reference=award.reference)
    assert payout.state == PayoutState.FAILED
    return payout


@pytest.fixture
def refusing_gateway(monkeypatch):
    monkeypatch.setattr(payout_service, "get_gateway", lambda name=None: RefusingGateway())
    return monkeypatch


@pytest.mark.parametrize("role", [r for r in ROLES if r != "staff"])
def test_everyone_but_staff_gets_404(people, role, failed_payout):
    user = people[role]
    for url in READS:
        assert_error(call(user, "get", url), 404, "not_found")
    assert_error(call(user, "post", retry_url(failed_payout)), 404, "not_found")
    assert Payout.objects.get().attempts == 1


def test_unknown_staff_path_is_a_json_404(staff):
    assert_error(call(staff, "get", "/api/v1/staff/nothing/"), 404, "not_found")


def test_deeds(staff, org, owner):
    award = verified_award(org, owner, deed=True)
    deed = award.recipients.get().deed
    response = call(staff, "get", "/api/v1/staff/deeds/", {"challenge": award.challenge_id})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row == {
        "id": deed.pk,
        "reference": award.reference,
        "challenge": award.challenge_id,
        "signer_id": deed.signer_id,
        "signer_email": deed.signer.email,
        "signer_name": "Ada Winner",
        "signature": "Ada Winner",
        "template_kind": "transfer_deed",
        "template_variant": deed.template.variant,
        "template_version": 1,
        "language": "en",
        "signed_at": row["signed_at"],
        "ip": "203.0.113.9",
        "user_agent": SNEAKY_AGENT,
        "text_sha256": deed.text_sha256,
        "pdf_sha256": deed.pdf_sha256,
        "pdf_url": f"http://testserver/staff/deeds/{deed.pk}.pdf",
    }
    other = call(staff, "get", "/api/v1/staff/deeds/", {"signer": "nobody"})
    assert other.json()["count"] == 0
    assert_error(call(staff, "get", "/api/v1/staff/deeds/", {"challenge": "x"}), 400, "invalid")


def test_payouts_filtered_by_state(staff, failed_payout):
    body = call(staff, "get", "/api/v1/staff/payouts/", {"state": "attention"}).json()
    [row] = body["results"]
    assert row["id"] == failed_payout.pk
    assert row["state"] == "failed"
    assert row["needs_attention"] is True
    assert row["failure_message"] == REFUSAL
    assert (row["amount"], row["currency"], row["attempts"]) == (1_000_000, "USD", 1)
    assert row["reference"] == failed_payout.reference
    succeeded = call(staff, "get", "/api/v1/staff/payouts/", {"state": "succeeded"}).json()
    assert succeeded["count"] == 0
    response = call(staff, "get", "/api/v1/staff/payouts/", {"state": "lost"})
    assert "state" in assert_error(response, 400, "invalid")["fields"]


def test_retry_pays_once_the_gateway_accepts(
    staff, failed_payout, refusing_gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        again = call(staff, "post", retry_url(failed_payout))
    assert again.status_code == 200
    assert Payout.objects.get().state == PayoutState.FAILED
    assert Payout.objects.get().attempts == 2

    refusing_gateway.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = call(staff, "post", retry_url(failed_payout))
    assert response.status_code == 200
    payout = Payout.objects.get()
    assert (payout.state, payout.attempts) == (PayoutState.SUCCEEDED, 3)
    assert Award.objects.get().state == AwardState.PAID
    assert statement(payout.subject)["paid"] == 1_000_000


def test_retry_of_an_unknown_payout_is_404(staff):
    assert_error(call(staff, "post", "/api/v1/staff/payouts/999/retry/"), 404, "not_found")


def test_dashboard(staff, org, owner):
    awarding_challenge(org, owner)
    response = call(staff, "get", "/api/v1/staff/dashboard/", {"period": "week"})
    assert response.status_code == 200
    body = response.json()
    assert (body["currency"], body["period"], body["currencies"]) == ("USD", "week", ["USD"])
    assert body["figures"]["held"] == 2_500_000
    assert body["figures"]["fees"] == 250_000
    assert body["series"][-1]["held"] == 2_500_000
    assert {"state": "awarding", "label": "Awarding", "count": 1} in body["states"]
    assert body["audit"]["clean"] is True
    assert body["payouts_attention"] == 0
    euro = call(staff, "get", "/api/v1/staff/dashboard/", {"currency": "EUR"}).json()
    assert (euro["figures"]["held"], euro["series"]) == (0, [])
    response = call(staff, "get", "/api/v1/staff/dashboard/", {"currency": "XXX"})
    assert "currency" in assert_error(response, 400, "invalid")["fields"]


def test_schema_documents_the_staff_endpoints(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    assert {
        "/api/v1/staff/deeds/",
        "/api/v1/staff/payouts/",
        "/api/v1/staff/payouts/{id}/retry/",
        "/api/v1/staff/dashboard/",
    } <= set(paths)
    assert "post" in paths["/api/v1/staff/payouts/{id}/retry/"]
