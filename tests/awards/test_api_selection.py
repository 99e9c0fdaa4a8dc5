"""The winner-selection API: a challenge's awards, awarding an entry, forfeiting,
staff disputes (freeze, unfreeze), finishing the selection. A verified award is
released by itself: there is no release endpoint."""

from datetime import timedelta

import pytest
import yaml
from django.utils import timezone

from marketplace.awards.models import Award
from marketplace.awards.services.propose import award_propose
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.submissions.services import submission_withdraw
from payouts.models import Payout
from tests.api_calls import assert_error, call
from tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    judged_challenge,
    submission_for,
    verify_award,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jc(org, owner):
    """Awarding: escrow holds 25,000.00 planned as 15,000 + 10,000; two entries."""
    return judged_challenge(org, owner, entrants=2, awards=[1_500_000, 1_000_000], state=S.AWARDING)


def awards_url(challenge):
    return f"/api/v1/challenges/{challenge.pk}/awards/"


def slot(jc, position=1):
    return jc.challenge.planned_awards.get(position=position)


def give(jc, owner, entry=0, position=1) -> Award:
    return award_propose(
        challenge_id=jc.challenge.pk,
        actor=owner,
        submission_id=jc.submissions[entry].pk,
        planned_award_id=slot(jc, position).pk,
    )


def expire(award):
    Award.objects.filter(pk=award.pk).update(claim_deadline=timezone.now() - timedelta(days=1))


def test_the_schema_documents_every_endpoint(client):
    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    assert {
        "/api/v1/challenges/{id}/awards/",
        "/api/v1/challenges/{id}/awards/finalize/",
        "/api/v1/awards/{id}/forfeit/",
        "/api/v1/awards/{id}/freeze/",
        "/api/v1/awards/{id}/unfreeze/",
    } <= set(paths)
    assert "/api/v1/awards/{id}/release/" not in paths


class TestList:
    @pytest.mark.parametrize("who", ["owner", "staff"])
    def test_escrow_figures_and_awards(self, request, jc, owner, who):
        award = give(jc, owner)
        data = call(request.getfixturevalue(who), "get", awards_url(jc.challenge)).json()
        assert (data["currency"], data["held"], data["committed"], data["available"]) == (
            "USD",
            2_500_000,
            1_500_000,
            1_000_000,
        )
        assert data["awards_final_at"] is None
        (listed,) = data["awards"]
        assert (listed["id"], listed["state"], listed["amount"], listed["position"]) == (
            award.pk,
            "proposed",
            1_500_000,
            1,
        )
        assert listed["author"]["id"] == jc.solvers[0].pk and listed["team"] is None
        (recipient,) = listed["recipients"]
        assert (recipient["user"]["id"], recipient["share_bps"], recipient["amount"]) == (
            jc.solvers[0].pk,
            10_000,
            1_500_000,
        )
        assert (recipient["deed_sha256"], recipient["deed_signed_at"]) == (None, None)
        assert listed["payouts"] == []

    @pytest.mark.parametrize("who", ["judge", "manager", "solver", "outsider"])
    def test_404_for_everyone_else(self, request, jc, who):
        assert_error(call(request.getfixturevalue(who), "get", awards_url(jc.challenge)), 404)


class TestPropose:
    def test_full_and_partial(self, jc, owner):
        response = call(
            owner,
            "post",
            awards_url(jc.challenge),
            {"submission": jc.submissions[0].pk, "planned_award": slot(jc).pk},
        )
        assert response.status_code == 201, response.content
        assert response.json()["amount"] == 1_500_000
        response = call(
            owner,
            "post",
            awards_url(jc.challenge),
            {"submission": jc.submissions[1].pk, "planned_award": slot(jc, 2).pk, "amount": "2.50"},
        )
        assert (response.status_code, response.json()["amount"]) == (201, 250)

    @pytest.mark.parametrize(
        "amount", ["1.005", "1e2", "15,000", True, None, [100], 0, "-1", "15000.01", 15000.01]
    )
    def test_amount_is_major_units_within_the_plan(self, jc, owner, amount):
        data = {"submission": jc.submissions[0].pk, "planned_award": slot(jc).pk, "amount": amount}
        body = assert_error(call(owner, "post", awards_url(jc.challenge), data), 400)
        assert body["fields"]["amount"]
        assert not Award.objects.exists()

    @pytest.mark.parametrize("amount", ["7500.00", "7500", 7500, 7500.0])
    def test_a_partial_amount_in_major_units(self, jc, owner, amount):
        data = {"submission": jc.submissions[0].pk, "planned_award": slot(jc).pk, "amount": amount}
        response = call(owner, "post", awards_url(jc.challenge), data)
        assert response.status_code == 201, response.content
        assert Award.objects.get().amount == 750_000

    def test_money_errors_are_in_the_currency(self, jc, owner):
        data = {"submission": jc.submissions[0].pk, "planned_award": slot(jc).pk}
        call_ = call(owner, "post", awards_url(jc.challenge), {**data, "amount": "15000.01"})
        assert assert_error(call_, 400)["fields"]["amount"] == [
            "A partial award can be at most the planned $15,000.00."
        ]
        call_ = call(
            owner, "post", awards_url(jc.challenge), {**data, "amount": "1.001"}, language="es"
        )
        assert assert_error(call_, 400)["fields"]["amount"] == [
            "Los importes en USD admiten como máximo 2 decimales."
        ]

    def test_the_same_slot_twice(self, jc, owner):
        give(jc, owner)
        data = {"submission": jc.submissions[1].pk, "planned_award": slot(jc).pk}
        body = assert_error(call(owner, "post", awards_url(jc.challenge), data), 400)
        assert "planned_award" in body["fields"]

    def test_withdrawn_entry(self, org, owner):
        jc = judged_challenge(org, owner, entrants=1, state=S.OPEN)
        submission_withdraw(submission_id=jc.submissions[0].pk, actor=jc.solvers[0])
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.AWARDING)
        data = {"submission": jc.submissions[0].pk, "planned_award": slot(jc).pk}
        body = assert_error(call(owner, "post", awards_url(jc.challenge), data), 400)
        assert "withdrawn" in body["fields"]["submission"][0]

    def test_more_than_escrow_holds(self, org, owner):
        challenge = ChallengeFactory(organization=org, created_by=owner, state=S.OPEN)
        entry = submission_for(challenge, RegistrationFactory(challenge=challenge).user)
        Challenge.objects.filter(pk=challenge.pk).update(state=S.AWARDING)
        data = {"submission": entry.pk, "planned_award": challenge.planned_awards.get().pk}
        body = assert_error(call(owner, "post", awards_url(challenge), data), 400)
        assert "escrow" in body["fields"]["amount"][0]

    def test_only_while_awarding(self, jc, owner):
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.JUDGING)
        data = {"submission": jc.submissions[0].pk, "planned_award": slot(jc).pk}
        assert_error(call(owner, "post", awards_url(jc.challenge), data), 409)

    @pytest.mark.parametrize("who", ["judge", "manager", "solver"])
    def test_404_for_everyone_else(self, request, jc, who):
        data = {"submission": jc.submissions[0].pk, "planned_award": slot(jc).pk}
        assert_error(
            call(request.getfixturevalue(who), "post", awards_url(jc.challenge), data), 404
        )
        assert not Award.objects.exists()


class TestAutomaticRelease:
    def test_verified_is_released_with_no_call(self, jc, owner):
        award = give(jc, owner)
        assert call(owner, "post", f"/api/v1/awards/{award.pk}/release/").status_code == 404
        verify_award(award)
        data = call(owner, "get", awards_url(jc.challenge)).json()["awards"][0]
        assert data["state"] == "verified" and data["released_at"]
        assert [p["state"] for p in data["payouts"]] == ["pending"]
        assert Payout.objects.count() == 1


class TestDispute:
    def url(self, award, action):
        return f"/api/v1/awards/{award.pk}/{action}/"

    def test_freeze_then_forfeit_a_signed_award(self, jc, owner, staff):
        award = give(jc, owner)
        verify_award(award)
        refused = call(staff, "post", self.url(award, "forfeit"), {"reason": "Plagiarised"})
        assert_error(refused, 409, "not_forfeitable")
        assert (
            "reason"
            in assert_error(call(staff, "post", self.url(award, "freeze"), {}), 400)["fields"]
        )
        frozen = call(staff, "post", self.url(award, "freeze"), {"reason": "Plagiarism claim"})
        assert frozen.status_code == 200
        assert (frozen.json()["frozen_reason"], bool(frozen.json()["frozen_at"])) == (
            "Plagiarism claim",
            True,
        )
        gone = call(staff, "post", self.url(award, "forfeit"), {"reason": "Plagiarised"})
        assert gone.json()["state"] == "forfeited"
        assert gone.json()["recipients"][0]["deed_void"] is True
        assert Payout.objects.get().state == "cancelled"

    def test_unfreeze_lets_the_award_move_on(self, jc, owner, staff):
        award = give(jc, owner)
        call(staff, "post", self.url(award, "freeze"), {"reason": "Checking eligibility"})
        verify_award(award)
        held = call(owner, "get", awards_url(jc.challenge)).json()["awards"][0]
        assert held["state"] == "verified" and held["released_at"] is None
        moved = call(staff, "post", self.url(award, "unfreeze"), {"reason": "Eligible"})
        assert moved.json()["frozen_at"] is None and moved.json()["released_at"]

    def test_owner_may_not_dispute(self, jc, owner):
        award = give(jc, owner)
        for action in ("freeze", "unfreeze"):
            assert_error(call(owner, "post", self.url(award, action), {"reason": "x"}), 403)

    @pytest.mark.parametrize("who", ["judge", "manager", "solver"])
    def test_404_for_everyone_else(self, request, jc, owner, who):
        award = give(jc, owner)
        response = call(request.getfixturevalue(who), "post", self.url(award, "freeze"), {})
        assert_error(response, 404)


class TestForfeit:
    def url(self, award):
        return f"/api/v1/awards/{award.pk}/forfeit/"

    def test_owner_after_the_claim_deadline(self, jc, owner):
        award = give(jc, owner)
        assert_error(call(owner, "post", self.url(award), {}), 409, "not_forfeitable")
        expire(award)
        response = call(owner, "post", self.url(award), {})
        assert response.json()["state"] == "forfeited"
        assert response.json()["forfeit_reason"] == "The claim deadline passed."

    def test_staff_with_a_reason(self, jc, owner, staff):
        award = give(jc, owner)
        assert "reason" in assert_error(call(staff, "post", self.url(award), {}), 400)["fields"]
        response = call(staff, "post", self.url(award), {"reason": "Ineligible"})
        assert (response.json()["state"], response.json()["forfeit_reason"]) == (
            "forfeited",
            "Ineligible",
        )

    def test_404_for_the_winner_here(self, jc, owner):
        award = give(jc, owner)
        assert_error(call(jc.solvers[0], "post", self.url(award), {}), 404)


class TestFinalize:
    def url(self, challenge):
        return f"/api/v1/challenges/{challenge.pk}/awards/finalize/"

    def test_finish(self, jc, owner):
        assert "awards" in assert_error(call(owner, "post", self.url(jc.challenge)), 400)["fields"]
        give(jc, owner)
        response = call(owner, "post", self.url(jc.challenge))
        assert (response.status_code, response.json()["state"]) == (200, "awarding")
        assert Challenge.objects.get(pk=jc.challenge.pk).awards_final_at is not None
        data = {"submission": jc.submissions[1].pk, "planned_award": slot(jc, 2).pk}
        assert_error(call(owner, "post", awards_url(jc.challenge), data), 409, "awards_final")

    def test_errors(self, jc, owner, judge):
        assert_error(call(judge, "post", self.url(jc.challenge)), 404)
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.JUDGING)
        assert_error(call(owner, "post", self.url(jc.challenge)), 409)
