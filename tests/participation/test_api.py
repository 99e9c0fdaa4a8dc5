"""Solvers registering, asking questions, and the Seeker's answers."""

import pytest
from django.utils import timezone

from marketplace.challenges.models import ChallengeState as S
from marketplace.participation.models import Clarification, Registration
from tests.api_calls import assert_error, call, db_state
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory, agreement_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_challenge(org):
    return ChallengeFactory(organization=org, state=S.OPEN)


class TestRegister:
    def test_registers_once_and_opens_the_brief(self, open_challenge, solver):
        url = f"/api/v1/challenges/{open_challenge.pk}/register/"
        accepted = {"accepted_sha256": agreement_hash(open_challenge)}
        body = call(solver, "post", url, accepted).json()
        assert body["is_registered"] is True and body["brief"] == open_challenge.brief
        assert body["solver_count"] == 1
        assert call(solver, "post", url, accepted).status_code == 200
        registration = Registration.objects.get(challenge=open_challenge, user=solver)
        assert registration.acceptance.text_sha256 == accepted["accepted_sha256"]

    def test_a_stale_or_missing_agreement_hash_is_refused(self, open_challenge, solver):
        url = f"/api/v1/challenges/{open_challenge.pk}/register/"
        for body in ({}, {"accepted_sha256": "0" * 64}):
            response = assert_error(call(solver, "post", url, body), 400, "stale_agreement")
            assert "accepted_sha256" in response["fields"]
        assert not Registration.objects.exists()

    def test_members_cannot_compete(self, open_challenge, manager):
        assert_error(
            call(manager, "post", f"/api/v1/challenges/{open_challenge.pk}/register/"),
            403,
            "permission_denied",
        )
        assert not Registration.objects.exists()

    def test_only_while_open(self, org, solver):
        closed = ChallengeFactory(organization=org, state=S.CLOSED)
        body = assert_error(
            call(solver, "post", f"/api/v1/challenges/{closed.pk}/register/"), 409, "not_open"
        )
        assert body["state"] == "closed"
        assert not Registration.objects.exists()

    def test_unpublished_is_404(self, draft, solver):
        assert_error(call(solver, "post", f"/api/v1/challenges/{draft.pk}/register/"), 404)


@pytest.fixture
def qa(open_challenge, owner):
    """Two registered solvers; one answered question, one open question of `asker`."""
    asker, other = UserFactory(), UserFactory()
    for user in (asker, other):
        RegistrationFactory(challenge=open_challenge, user=user)
    answered = Clarification.objects.create(
        challenge=open_challenge,
        asked_by=other,
        question="Fresh water too?",
        answer="No, sea water only.",
        answered_by=owner,
        answered_at=timezone.now(),
    )
    pending = Clarification.objects.create(
        challenge=open_challenge, asked_by=asker, question="Which salinity?"
    )
    return {
        "challenge": open_challenge,
        "asker": asker,
        "other": other,
        "answered": answered,
        "pending": pending,
    }


def questions(user, challenge) -> list[str]:
    response = call(user, "get", f"/api/v1/challenges/{challenge.pk}/clarifications/")
    assert response.status_code == 200, response.content
    return [row["question"] for row in response.json()["results"]]


class TestClarifications:
    def test_who_sees_what(self, qa, judge, staff, solver):
        everything = ["Fresh water too?", "Which salinity?"]
        assert questions(judge, qa["challenge"]) == everything
        assert questions(staff, qa["challenge"]) == everything
        assert questions(qa["asker"], qa["challenge"]) == everything
        assert questions(qa["other"], qa["challenge"]) == ["Fresh water too?"]
        assert questions(solver, qa["challenge"]) == []
        assert questions(None, qa["challenge"]) == []

    def test_rows_say_whose_question_it_is(self, qa):
        rows = call(
            qa["asker"], "get", f"/api/v1/challenges/{qa['challenge'].pk}/clarifications/"
        ).json()["results"]
        assert [(r["asked_by_me"], r["is_answered"], r["answer"]) for r in rows] == [
            (False, True, "No, sea water only."),
            (True, False, ""),
        ]

    def test_a_registered_solver_asks(self, qa):
        url = f"/api/v1/challenges/{qa['challenge'].pk}/clarifications/"
        response = call(qa["other"], "post", url, {"question": "  Max thickness?  "})
        assert response.status_code == 201, response.content
        assert response.json()["question"] == "Max thickness?"
        assert Clarification.objects.filter(
            asked_by=qa["other"], question="Max thickness?"
        ).exists()

    @pytest.mark.parametrize("question", ["", "   ", "x" * 5001])
    def test_bad_questions_are_400(self, qa, question):
        before = db_state()
        body = assert_error(
            call(
                qa["other"],
                "post",
                f"/api/v1/challenges/{qa['challenge'].pk}/clarifications/",
                {"question": question},
            ),
            400,
            "invalid",
        )
        assert "question" in body["fields"]
        assert db_state() == before

    def test_the_answer_reaches_every_solver(self, qa, manager):
        response = call(
            manager,
            "post",
            f"/api/v1/clarifications/{qa['pending'].pk}/answer/",
            {"answer": "35 g/l."},
        )
        assert response.status_code == 200, response.content
        assert response.json()["is_answered"] is True
        assert questions(qa["other"], qa["challenge"]) == ["Fresh water too?", "Which salinity?"]

    def test_no_answers_once_finished(self, qa, owner):
        type(qa["challenge"]).objects.filter(pk=qa["challenge"].pk).update(state=S.COMPLETED)
        before = db_state()
        url = f"/api/v1/clarifications/{qa['pending'].pk}/answer/"
        body = assert_error(call(owner, "post", url, {"answer": "Too late"}), 409, "not_answerable")
        assert body["state"] == "completed"
        assert db_state() == before

    def test_unknown_clarification_is_404(self, owner):
        assert_error(
            call(owner, "post", "/api/v1/clarifications/424242/answer/", {"answer": "?"}),
            404,
            "not_found",
        )
