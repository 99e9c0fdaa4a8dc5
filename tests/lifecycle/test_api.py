"""One endpoint per lifecycle transition, and the deadline extension."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.challenges.transitions import transition_names
from tests.api_calls import assert_error, call, challenge_payload, db_state, future
from tests.factories import ChallengeFactory, RegistrationFactory, fund_challenge

pytestmark = pytest.mark.django_db


def post(user, challenge_id, name, reason=""):
    return call(user, "post", f"/api/v1/challenges/{challenge_id}/{name}/", {"reason": reason})


def expire(challenge_id):
    Challenge.objects.filter(pk=challenge_id).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )


@pytest.mark.parametrize("name", transition_names())
def test_every_transition_has_its_route(name):
    assert reverse(f"challenge-{name}", args=[1]) == f"/api/v1/challenges/1/{name}/"


def test_a_challenge_goes_through_its_life(
    org, owner, staff, mailoutbox, django_capture_on_commit_callbacks
):
    created = call(owner, "post", "/api/v1/challenges/", challenge_payload(org)).json()
    pk = created["id"]
    with django_capture_on_commit_callbacks(execute=True):
        steps = [(owner, "submit"), (staff, "approve"), (owner, "open")]
        for user, name in steps:
            if name == "open":
                fund_challenge(Challenge.objects.get(pk=pk))
            response = post(user, pk, name)
            assert response.status_code == 200, response.content
    assert response.json()["state"] == "open" and response.json()["published_at"]
    # submit (staff are told it awaits review), approve, open
    assert [m.to for m in mailoutbox] == [[staff.email], [owner.email], [owner.email]]
    expire(pk)
    for user, name, state in [
        (staff, "close", "closed"),
        (owner, "start_judging", "judging"),
        (owner, "start_awarding", "awarding"),
        (owner, "declare_no_award", "no_award"),
    ]:
        body = post(user, pk, name, reason="No entry met the brief.").json()
        assert body["state"] == state, body
    assert list(ChallengeEvent.objects.filter(challenge_id=pk).values_list("name", "actor")) == [
        ("submit", owner.pk),
        ("approve", staff.pk),
        ("open", owner.pk),
        ("close", staff.pk),
        ("start_judging", owner.pk),
        ("start_awarding", owner.pk),
        ("declare_no_award", owner.pk),
    ]


def test_response_lists_the_next_actions(org, owner):
    challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING, funded=True)
    body = post(owner, challenge.pk, "open").json()
    assert body["state"] == "open" and body["available_transitions"] == ["close_early"]


def test_the_reason_is_recorded(org, staff):
    challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
    assert post(staff, challenge.pk, "return_to_draft", "Clarify the IP terms.").status_code == 200
    event = ChallengeEvent.objects.get(challenge=challenge)
    assert (event.from_state, event.to_state, event.reason) == (
        "in_review",
        "draft",
        "Clarify the IP terms.",
    )


@pytest.mark.parametrize("name", ["return_to_draft", "reject"])
def test_a_missing_reason_is_400(org, staff, name):
    challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
    before = db_state()
    body = assert_error(post(staff, challenge.pk, name, "  "), 400, "invalid")
    assert body["fields"]["reason"] == ["Give a reason for this action."]
    assert db_state() == before


@pytest.mark.parametrize("name", ["approve", "open", "close", "start_judging", "complete"])
def test_an_illegal_transition_is_409_with_the_state(draft, staff, name):
    before = db_state()
    body = assert_error(post(staff, draft.pk, name), 409, "illegal_transition")
    assert body["state"] == "draft"
    assert db_state() == before


def test_a_failed_condition_is_409(org, owner):
    challenge = ChallengeFactory(organization=org, plan=False)
    body = assert_error(post(owner, challenge.pk, "submit"), 409, "condition_failed")
    assert body["state"] == "draft" and "requirement" in body["detail"]


def test_closing_before_the_deadline_is_409(org, staff):
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    assert_error(post(staff, challenge.pk, "close"), 409, "condition_failed")


@pytest.mark.parametrize("path", ["delete", "publish", "Submit", "submit-now", "_check"])
def test_an_unknown_transition_is_404(draft, owner, path):
    before = db_state()
    assert_error(
        call(owner, "post", f"/api/v1/challenges/{draft.pk}/{path}/", {}), 404, "not_found"
    )
    assert db_state() == before


class TestExtendDeadline:
    def url(self, challenge):
        return f"/api/v1/challenges/{challenge.pk}/extend-deadline/"

    def test_moves_both_deadlines_and_tells_solvers(
        self, org, manager, mailoutbox, django_capture_on_commit_callbacks
    ):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        solver = RegistrationFactory(challenge=challenge).user
        new = challenge.submission_deadline + timedelta(days=7)
        with django_capture_on_commit_callbacks(execute=True):
            response = call(
                manager,
                "post",
                self.url(challenge),
                {"submission_deadline": new.isoformat(), "reason": "More time"},
            )
        assert response.status_code == 200, response.content
        stored = Challenge.objects.get(pk=challenge.pk)
        assert stored.submission_deadline == new
        assert stored.judging_deadline == challenge.judging_deadline + timedelta(days=7)
        assert [m.to for m in mailoutbox] == [[solver.email]]

    def test_never_earlier(self, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        earlier = challenge.submission_deadline - timedelta(days=1)
        before = db_state()
        body = assert_error(
            call(owner, "post", self.url(challenge), {"submission_deadline": earlier.isoformat()}),
            400,
            "invalid",
        )
        assert "submission_deadline" in body["fields"]
        assert db_state() == before

    def test_needs_a_time_zone(self, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        body = assert_error(
            call(
                owner, "post", self.url(challenge), {"submission_deadline": "2040-01-01T12:00:00"}
            ),
            400,
        )
        assert "time zone" in body["fields"]["submission_deadline"][0]

    def test_not_after_closing(self, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.CLOSED)
        body = assert_error(
            call(owner, "post", self.url(challenge), {"submission_deadline": future(90)}),
            409,
            "illegal_transition",
        )
        assert body["state"] == "closed"
