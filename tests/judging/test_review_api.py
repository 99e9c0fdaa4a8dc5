"""The review API: the owner side sets an entry's status and reads its history; the
solver reads the status and note on their own entry (never the history, never another
solver's); scores and judges' notes stay out of the solver's view."""

import pytest

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.judging.services import evaluation_save
from marketplace.submissions.models import ReviewStatus as R
from marketplace.submissions.models import Submission, SubmissionReview
from tests.api_calls import assert_error, call
from tests.factories import judged_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def jc(org, owner, judge):
    return judged_challenge(org, owner, entrants=2, judges=[judge])


def url(entry):
    return f"/api/v1/submissions/{entry.pk}/review/"


def entry_url(entry):
    return f"/api/v1/submissions/{entry.pk}/"


class TestSetting:
    def test_owner_sets_and_reads_the_history(self, jc, owner, judge):
        entry = jc.submissions[0]
        response = call(judge, "post", url(entry), {"status": "admissible"})
        assert response.status_code == 200, response.content
        body = call(
            owner, "post", url(entry), {"status": "shortlisted", "note": "A finalist."}
        ).json()
        assert (body["submission"], body["status"], body["note"]) == (
            entry.pk,
            "shortlisted",
            "A finalist.",
        )
        assert [(h["actor"]["id"], h["from_status"], h["to_status"]) for h in body["history"]] == [
            (judge.pk, "received", "admissible"),
            (owner.pk, "admissible", "shortlisted"),
        ]
        assert call(judge, "get", url(entry)).json()["history"] == body["history"]

    def test_staff_set(self, jc, staff):
        entry = jc.submissions[0]
        response = call(staff, "post", url(entry), {"status": "not_admissible", "reason": "Late."})
        assert response.json()["reason"] == "Late."

    def test_refusals_change_nothing(self, jc, owner, judge):
        entry = jc.submissions[0]
        assert_error(call(owner, "post", url(entry), {}), 400)
        fields = assert_error(call(owner, "post", url(entry), {"status": "winner"}), 400)["fields"]
        assert "status" in fields
        response = call(owner, "post", url(entry), {"status": "not_admissible"})
        assert "reason" in assert_error(response, 400)["fields"]
        response = call(owner, "post", url(entry), {"status": "admissible", "note": "x" * 5001})
        assert "note" in assert_error(response, 400)["fields"]
        assert_error(call(judge, "post", url(entry), {"status": "shortlisted"}), 403)
        assert_error(call(entry.author, "post", url(entry), {"status": "admissible"}), 403)
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.COMPLETED)
        response = call(owner, "post", url(entry), {"status": "admissible"})
        assert_error(response, 409, "illegal_transition")
        assert not SubmissionReview.objects.exists()
        assert Submission.objects.get(pk=entry.pk).review_status == R.RECEIVED

    def test_refusals_in_spanish(self, jc, owner):
        response = call(
            owner, "post", url(jc.submissions[0]), {"status": "not_admissible"}, language="es"
        )
        assert assert_error(response, 400)["fields"]["reason"] == [
            "Diga por qué la solución no es admisible."
        ]


class TestWhoReads:
    def test_the_solver_reads_status_and_note_on_their_entry_only(self, jc, owner, judge):
        mine, theirs = jc.submissions
        evaluation_save(
            submission_id=mine.pk,
            judge=judge,
            scores={r.pk: {"score": 7, "note": "Judge's private note."} for r in jc.requirements},
        )
        call(owner, "post", url(mine), {"status": "shortlisted", "note": "Well argued."})
        call(owner, "post", url(theirs), {"status": "not_admissible", "reason": "Off topic."})
        response = call(mine.author, "get", entry_url(mine))
        assert response.json()["review"] == {
            "status": "shortlisted",
            "reason": "",
            "note": "Well argued.",
        }
        text = response.content.decode()
        assert "Judge's private note." not in text and "Off topic." not in text
        assert "score" not in response.json()
        assert_error(call(mine.author, "get", entry_url(theirs)), 404)
        assert_error(call(mine.author, "get", url(mine)), 404)
        assert_error(call(mine.author, "get", url(theirs)), 404)

    def test_every_team_member_reads_it(self, org, owner):
        from_team = judged_challenge(org, owner, entrants=1, state=S.OPEN)
        entry = from_team.submissions[0]
        Challenge.objects.filter(pk=from_team.challenge.pk).update(state=S.JUDGING)
        call(owner, "post", url(entry), {"status": "admissible", "note": "Thanks."})
        assert call(entry.author, "get", entry_url(entry)).json()["review"]["note"] == "Thanks."

    def test_staff_read_the_history(self, jc, owner, staff):
        entry = jc.submissions[0]
        call(owner, "post", url(entry), {"status": "admissible"})
        assert len(call(staff, "get", url(entry)).json()["history"]) == 1
