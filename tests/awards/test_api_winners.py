"""The winner's API: my awards, one award (recipients, owners, staff; everyone else
404), accept, decline, the deed to read and sign, my tax form (the full number never
comes back) and my payout account."""

from datetime import timedelta

import pytest
from django.utils import timezone

from legal.models import Deed
from marketplace.awards.models import Award
from marketplace.awards.services.claim import award_accept
from marketplace.challenges.models import IPModel
from payouts.models import PayoutAccount, TaxForm
from tests.api_calls import assert_error, call
from tests.factories import (
    UserFactory,
    claim_awarded_challenge,
    claim_w8ben_data,
    claim_w9_data,
)

pytestmark = pytest.mark.django_db

W9_NUMBERS = ("123-45-6789", "123456789")


def url(award, action: str = "") -> str:
    return f"/api/v1/awards/{award.pk}/{action}"


def fresh(award) -> Award:
    return Award.objects.get(pk=award.pk)


def sign(user, award, **changes):
    deed = call(user, "get", url(award, "deed/")).json()
    body = {"accepted_sha256": deed["sha256"], "signature": user.full_name, **changes}
    return call(user, "post", url(award, "deed/sign/"), body)


@pytest.fixture
def won(org, owner):
    return claim_awarded_challenge(org, owner)


class TestReading:
    def test_my_awards_lists_the_callers_share(self, won, outsider):
        body = call(won.winner, "get", "/api/v1/awards/").json()
        [row] = body["results"]
        assert row["id"] == won.award.pk and row["state"] == "proposed"
        assert row["amount"] == row["your_amount"] == 2_500_000 and row["currency"] == "USD"
        assert row["challenge"] == {"id": won.challenge.pk, "title": won.challenge.title}
        assert call(outsider, "get", "/api/v1/awards/").json()["results"] == []
        assert_error(call(None, "get", "/api/v1/awards/"), 401)

    def test_an_award_is_for_its_recipients_owners_and_staff(
        self, won, owner, staff, judge, outsider
    ):
        for reader in (won.winner, owner, staff):
            body = call(reader, "get", url(won.award)).json()
            assert body["id"] == won.award.pk and body["deed_kind"] == "transfer_deed"
            [recipient] = body["recipients"]
            assert recipient["user"]["id"] == won.winner.pk and recipient["share_bps"] == 10_000
            assert recipient["accepted"] is False and recipient["deed_signed"] is False
        for stranger in (judge, outsider, UserFactory()):
            assert_error(call(stranger, "get", url(won.award)), 404, "not_found")
        assert_error(call(won.winner, "get", "/api/v1/awards/999999/"), 404, "not_found")
        assert_error(call(won.winner, "get", url(won.award, "nonsense/")), 404, "not_found")

    def test_payout_details_are_for_staff_only(
        self, won, owner, staff, django_capture_on_commit_callbacks
    ):
        award_accept(award_id=won.award.pk, user=won.winner)
        assert sign(won.winner, won.award).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):  # verified: released, paid
            call(
                won.winner,
                "put",
                "/api/v1/me/tax-form/",
                {"kind": "w9", **claim_w9_data(won.winner.full_name)},
            )
        mine = call(won.winner, "get", url(won.award)).json()
        assert mine["state"] == "paid"
        [payout] = mine["payouts"]
        assert payout["state"] == "succeeded" and payout["provider_id"] is None
        [certificate] = mine["certificates"]
        assert certificate["url"].endswith(f"/certificates/{certificate['uuid']}/")
        assert certificate["pdf_url"] and certificate["number"].startswith("MC-")
        [payout] = call(staff, "get", url(won.award)).json()["payouts"]
        assert payout["provider_id"].startswith("local_tr_")


class TestClaiming:
    def test_accept_and_refusals(self, won, owner, outsider):
        assert_error(call(outsider, "post", url(won.award, "accept/")), 404)
        assert_error(call(owner, "post", url(won.award, "accept/")), 403)
        body = call(won.winner, "post", url(won.award, "accept/")).json()
        assert body["state"] == "accepted" and body["recipients"][0]["accepted"] is True

    def test_accepting_after_the_claim_deadline_is_a_conflict(self, won):
        Award.objects.filter(pk=won.award.pk).update(
            claim_deadline=timezone.now() - timedelta(minutes=5)
        )
        body = assert_error(call(won.winner, "post", url(won.award, "accept/")), 409)
        assert body["code"] == "claim_expired" and body["state"] == "proposed"

    def test_declining_forfeits(self, won, owner):
        assert_error(call(owner, "post", url(won.award, "decline/"), {}), 403)
        body = call(won.winner, "post", url(won.award, "decline/"), {"reason": "Too busy"}).json()
        assert body["state"] == "forfeited" and body["forfeit_reason"] == "Too busy"
        assert_error(call(won.winner, "post", url(won.award, "accept/")), 409, "award_forfeited")


class TestDeed:
    def test_the_deed_to_sign_and_the_deed_signed(self, won, owner, outsider):
        deed = call(won.winner, "get", url(won.award, "deed/")).json()
        assert deed["kind"] == "transfer_deed" and deed["signed"] is False
        assert won.winner.full_name in deed["text"] and len(deed["sha256"]) == 64
        for stranger in (owner, outsider):
            assert_error(call(stranger, "get", url(won.award, "deed/")), 404)
        body = sign(won.winner, won.award).json()
        stored = Deed.objects.get()
        assert body["signed"] is True and body["pdf_sha256"] == stored.pdf_sha256
        assert body["sha256"] == deed["sha256"] == stored.text_sha256
        assert fresh(won.award).state == "deed_signed"
        [recipient] = call(owner, "get", url(won.award)).json()["recipients"]
        assert recipient["deed_signed"] is True and recipient["deed_sha256"] == stored.pdf_sha256

    def test_stale_text_wrong_name_and_strangers_store_nothing(self, won, outsider):
        response = sign(won.winner, won.award, accepted_sha256="0" * 64)
        assert "accepted_sha256" in assert_error(response, 400, "stale_agreement")["fields"]
        body = assert_error(sign(won.winner, won.award, signature="Not Me"), 400, "invalid")
        assert "signature" in body["fields"]
        deed = call(won.winner, "get", url(won.award, "deed/")).json()
        body = {"accepted_sha256": deed["sha256"], "signature": outsider.full_name}
        assert_error(call(outsider, "post", url(won.award, "deed/sign/"), body), 404)
        assert not Deed.objects.exists()

    def test_no_deed_when_the_solver_keeps_the_ip(self, org, owner):
        kept = claim_awarded_challenge(org, owner, ip_model=IPModel.SOLVER_KEEPS)
        assert_error(call(kept.winner, "get", url(kept.award, "deed/")), 409, "no_deed")
        assert call(kept.winner, "get", url(kept.award)).json()["deed_kind"] is None

    def test_each_team_member_signs_their_own(self, org, owner):
        team = claim_awarded_challenge(org, owner, team_members=[UserFactory()])
        captain, [member] = team.winner, team.members
        assert sign(captain, team.award).status_code == 200
        recipients = {
            r["user"]["id"]: r for r in call(member, "get", url(team.award)).json()["recipients"]
        }
        assert recipients[captain.pk]["deed_signed"] and not recipients[member.pk]["deed_signed"]
        assert call(member, "get", url(team.award, "deed/")).json()["signed"] is False
        assert fresh(team.award).state == "accepted"
        assert sign(member, team.award).status_code == 200
        assert fresh(team.award).state == "deed_signed"


class TestTaxFormAndPayoutAccount:
    def test_a_w9_shows_only_its_last_four(self, solver):
        assert_error(call(solver, "get", "/api/v1/me/tax-form/"), 404)
        data = {"kind": "w9", **claim_w9_data(solver.full_name)}
        response = call(solver, "put", "/api/v1/me/tax-form/", data)
        assert response.status_code == 200
        body = response.json()
        assert body["kind"] == "w9" and body["tin_masked"] == "•••• 6789" and "tin" not in body
        again = call(solver, "get", "/api/v1/me/tax-form/")
        assert again.json() == body
        for number in W9_NUMBERS:
            assert number not in response.content.decode()
            assert number not in again.content.decode()

    def test_a_w8ben_and_its_errors(self, solver):
        data = {"kind": "w8ben", **claim_w8ben_data(solver.full_name, treaty_rate="5")}
        bad = {**data, "citizenship_country": "US", "date_of_birth": "2999-01-01"}
        body = assert_error(call(solver, "put", "/api/v1/me/tax-form/", bad), 400, "invalid")
        assert {"citizenship_country", "date_of_birth", "treaty_country"} <= set(body["fields"])
        assert not TaxForm.objects.exists()
        data.update(treaty_country="DE", treaty_article="12")
        body = call(solver, "put", "/api/v1/me/tax-form/", data).json()
        assert body["kind"] == "w8ben" and body["treaty_rate"] == "5.00"
        assert body["tin_masked"] == "•••• 5432"
        assert_error(call(solver, "put", "/api/v1/me/tax-form/", {"kind": "w4"}), 400)

    def test_the_local_gateway_needs_no_account(self, solver):
        body = call(solver, "get", "/api/v1/me/payout-account/").json()
        assert body == {
            "gateway": "local",
            "destination": "",
            "ready": True,
            "payouts_enabled": None,
            "requirements_due": [],
        }

    def test_an_account_id_cannot_be_given(self, solver, settings):
        """Payouts are set up on the site, through Stripe's onboarding: pasting an account
        id is for staff only."""
        settings.PAYMENT_GATEWAY = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_api"
        assert call(solver, "get", "/api/v1/me/payout-account/").json()["ready"] is False
        response = call(solver, "put", "/api/v1/me/payout-account/", {"destination": "acct_9Zz"})
        assert_error(response, 405, "method_not_allowed")
        assert not PayoutAccount.objects.exists()

    def test_the_account_says_what_stripe_needs(self, solver, settings):
        settings.PAYMENT_GATEWAY = "stripe"
        PayoutAccount.objects.create(
            user=solver,
            gateway="stripe",
            destination="acct_1Waiting",
            payouts_enabled=False,
            currently_due=["external_account", "tos_acceptance.date"],
            past_due=["tos_acceptance.date"],
        )
        body = call(solver, "get", "/api/v1/me/payout-account/").json()
        assert body == {
            "gateway": "stripe",
            "destination": "acct_1Waiting",
            "ready": True,
            "payouts_enabled": False,
            "requirements_due": ["tos_acceptance.date", "external_account"],
        }

    def test_filing_the_tax_form_verifies_a_signed_award(self, won):
        sign(won.winner, won.award)
        data = {"kind": "w9", **claim_w9_data(won.winner.full_name)}
        call(won.winner, "put", "/api/v1/me/tax-form/", data)
        body = call(won.winner, "get", url(won.award)).json()
        assert body["state"] == "verified" and body["recipients"][0]["verified"] is True
