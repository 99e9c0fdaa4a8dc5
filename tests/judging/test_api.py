"""The judging API: judges, a judge's entries and scores, conflicts, the scoreboard and
the shortlist."""

import pytest
import yaml

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.judging.models import Evaluation, JudgeAssignment
from marketplace.judging.services import conflict_declare, evaluation_save
from marketplace.organisations.roles import OrgRole
from marketplace.submissions.models import Submission
from tests.api_calls import assert_error, call
from tests.factories import MembershipFactory, judged_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def jc(org, owner, judge):
    """Being judged: requirements weighing 60 and 40, two entries, `judge` assigned."""
    return judged_challenge(org, owner, entrants=2, judges=[judge])


@pytest.fixture
def unassigned(org):
    return MembershipFactory(organization=org, role=OrgRole.JUDGE).user


def judges_url(challenge, user=None):
    base = f"/api/v1/challenges/{challenge.pk}/judges/"
    return f"{base}{user.pk}/" if user else base


def evaluation_url(submission):
    return f"/api/v1/submissions/{submission.pk}/evaluation/"


def body(jc, first, second, note=""):
    r1, r2 = jc.requirements
    return {"scores": {str(r1.pk): {"score": first, "note": note}, str(r2.pk): {"score": second}}}


def set_state(challenge, state):
    Challenge.objects.filter(pk=challenge.pk).update(state=state)


def test_the_schema_documents_every_endpoint(client):
    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    assert {
        "/api/v1/challenges/{id}/judges/",
        "/api/v1/challenges/{id}/judges/{user_id}/",
        "/api/v1/challenges/{id}/judging/",
        "/api/v1/challenges/{id}/scoreboard/",
        "/api/v1/submissions/{id}/evaluation/",
        "/api/v1/submissions/{id}/conflict/",
        "/api/v1/submissions/{id}/shortlist/",
        "/api/v1/submissions/{id}/review/",
    } <= set(paths)


class TestJudges:
    @pytest.mark.parametrize("who", ["owner", "manager", "judge", "staff"])
    def test_members_and_staff_list_them(self, request, jc, judge, who):
        response = call(request.getfixturevalue(who), "get", judges_url(jc.challenge))
        assert response.status_code == 200
        assert [(j["id"], j["email"]) for j in response.json()] == [(judge.pk, judge.email)]

    @pytest.mark.parametrize("who", ["solver", "outsider"])
    def test_404_outside_the_organisation(self, request, jc, who):
        assert_error(call(request.getfixturevalue(who), "get", judges_url(jc.challenge)), 404)

    def test_401_when_signed_out(self, jc):
        assert_error(call(None, "get", judges_url(jc.challenge)), 401)

    def test_owner_assigns_once(self, owner, draft, unassigned):
        for _ in range(2):
            response = call(owner, "post", judges_url(draft), {"judge": unassigned.pk})
            assert response.status_code == 201
            assert response.json()["id"] == unassigned.pk
        assert JudgeAssignment.objects.filter(challenge=draft).count() == 1

    @pytest.mark.parametrize("who", ["manager", "outsider", "solver"])
    def test_only_the_organisations_judges_and_owners(self, request, owner, draft, who):
        user = request.getfixturevalue(who)
        body = assert_error(call(owner, "post", judges_url(draft), {"judge": user.pk}), 400)
        assert "judge" in body["fields"]

    @pytest.mark.parametrize("value", [10**9, "7", None])
    def test_unknown_or_malformed_user(self, owner, draft, value):
        body = assert_error(call(owner, "post", judges_url(draft), {"judge": value}), 400)
        assert "judge" in body["fields"]

    @pytest.mark.parametrize("who", ["manager", "judge"])
    def test_other_members_may_not_assign(self, request, draft, unassigned, who):
        response = call(
            request.getfixturevalue(who), "post", judges_url(draft), {"judge": unassigned.pk}
        )
        assert_error(response, 403)

    def test_not_after_judging(self, owner, jc, unassigned):
        set_state(jc.challenge, S.AWARDING)
        response = call(owner, "post", judges_url(jc.challenge), {"judge": unassigned.pk})
        assert_error(response, 409, "illegal_transition")

    def test_unassign(self, owner, jc, judge, unassigned):
        assert_error(call(judge, "delete", judges_url(jc.challenge, judge)), 403)
        assert_error(call(owner, "delete", judges_url(jc.challenge, unassigned)), 404)
        assert call(owner, "delete", judges_url(jc.challenge, judge)).status_code == 204
        assert not JudgeAssignment.objects.filter(challenge=jc.challenge).exists()


class TestJudging:
    def url(self, challenge):
        return f"/api/v1/challenges/{challenge.pk}/judging/"

    def test_a_judge_gets_the_entries_with_their_scores(self, jc, judge):
        r1 = jc.requirements[0]
        evaluation_save(
            submission_id=jc.submissions[0].pk,
            judge=judge,
            scores={r1.pk: {"score": 10, "note": "Strong"}},
        )
        data = call(judge, "get", self.url(jc.challenge)).json()
        assert data["can_score"] is True
        assert [r["weight"] for r in data["requirements"]] == [60, 40]
        first, second = data["entries"]
        assert (first["entry_number"], first["title"], first["author"]["id"]) == (
            1,
            "Entry 1",
            jc.solvers[0].pk,
        )
        assert first["scored"] == 1 and first["total"] == "60.00"
        assert first["scores"] == {str(r1.pk): {"score": 10, "note": "Strong"}}
        assert (second["scored"], second["total"], second["scores"]) == (0, None, {})

    def test_blind_judging_hides_the_solvers_from_judges_and_owners(self, jc, judge, owner):
        Challenge.objects.filter(pk=jc.challenge.pk).update(blind_judging=True)
        for reader in (judge, owner):
            entry = call(reader, "get", self.url(jc.challenge)).json()["entries"][0]
            assert (entry["author"], entry["team"]) == (None, None)
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.COMPLETED)
        entry = call(owner, "get", self.url(jc.challenge)).json()["entries"][0]
        assert entry["author"]["id"] == jc.solvers[0].pk

    def test_conflicted_entries_are_left_out(self, jc, judge):
        conflict_declare(submission_id=jc.submissions[0].pk, judge=judge, reason="Friend")
        entries = call(judge, "get", self.url(jc.challenge)).json()["entries"]
        assert [e["id"] for e in entries] == [jc.submissions[1].pk]

    def test_owner_who_does_not_judge_reads_without_scoring(self, jc, owner):
        data = call(owner, "get", self.url(jc.challenge)).json()
        assert data["can_score"] is False and len(data["entries"]) == 2

    def test_empty_before_the_entries_are_revealed(self, org, owner, judge):
        jc = judged_challenge(org, owner, entrants=1, judges=[judge], state=S.OPEN)
        data = call(judge, "get", self.url(jc.challenge)).json()
        assert (data["entries"], data["can_score"]) == ([], False)

    @pytest.mark.parametrize("who", ["unassigned", "manager", "solver", "outsider", "staff"])
    def test_404_for_everyone_else(self, request, jc, who):
        assert_error(call(request.getfixturevalue(who), "get", self.url(jc.challenge)), 404)


class TestEvaluation:
    def test_scores_are_saved_and_returned(self, jc, judge):
        response = call(judge, "put", evaluation_url(jc.submissions[0]), body(jc, 7, 8, "Good"))
        assert response.status_code == 200, response.content
        r1, r2 = jc.requirements
        assert response.json() == {
            "submission": jc.submissions[0].pk,
            "scores": {
                str(r1.pk): {"score": 7, "note": "Good"},
                str(r2.pk): {"score": 8, "note": ""},
            },
            "total": "74.00",
        }

    @pytest.mark.parametrize("bad", [11, -1])
    def test_scores_outside_0_to_10(self, jc, judge, bad):
        r1 = jc.requirements[0]
        response = call(judge, "put", evaluation_url(jc.submissions[0]), body(jc, bad, 5))
        assert assert_error(response, 400)["fields"] == {
            f"scores.{r1.pk}.score": ["A score is between 0 and 10."]
        }
        assert not Evaluation.objects.exists()

    @pytest.mark.parametrize("bad", ["7", 7.0, True, None])
    def test_scores_must_be_json_integers(self, jc, judge, bad):
        r1 = jc.requirements[0]
        response = call(judge, "put", evaluation_url(jc.submissions[0]), body(jc, bad, 5))
        assert f"scores.{r1.pk}.score" in assert_error(response, 400)["fields"]

    @pytest.mark.parametrize("payload", [{}, {"scores": {}}, {"scores": {"99999": {"score": 5}}}])
    def test_missing_or_unknown_requirements(self, jc, judge, payload):
        response = call(judge, "put", evaluation_url(jc.submissions[0]), payload)
        assert "scores" in assert_error(response, 400)["fields"]

    @pytest.mark.parametrize("state", [S.CLOSED, S.AWARDING])
    def test_only_while_judging(self, jc, judge, state):
        set_state(jc.challenge, state)
        response = call(judge, "put", evaluation_url(jc.submissions[0]), body(jc, 5, 5))
        assert assert_error(response, 409, "judging_closed")["state"] == state

    def test_an_owner_who_is_not_a_judge_gets_403(self, jc, owner):
        assert_error(call(owner, "put", evaluation_url(jc.submissions[0]), body(jc, 5, 5)), 403)

    @pytest.mark.parametrize("who", ["unassigned", "manager", "solver", "outsider"])
    def test_404_for_those_who_may_not_read_the_entry(self, request, jc, who):
        user = request.getfixturevalue(who)
        assert_error(call(user, "put", evaluation_url(jc.submissions[0]), body(jc, 5, 5)), 404)
        assert not Evaluation.objects.exists()


class TestConflict:
    def url(self, submission):
        return f"/api/v1/submissions/{submission.pk}/conflict/"

    def test_declare_then_the_entry_is_gone_for_the_judge(self, jc, judge):
        entry = jc.submissions[0]
        response = call(judge, "post", self.url(entry), {"reason": "My cousin"})
        assert response.status_code == 201
        assert response.json()["reason"] == "My cousin"
        assert_error(call(judge, "get", f"/api/v1/submissions/{entry.pk}/"), 404)
        assert_error(call(judge, "put", evaluation_url(entry), body(jc, 5, 5)), 404)

    def test_a_reason_is_required(self, jc, judge):
        body = assert_error(call(judge, "post", self.url(jc.submissions[0]), {"reason": " "}), 400)
        assert "reason" in body["fields"]

    def test_only_assigned_judges(self, jc, owner, unassigned):
        assert_error(call(unassigned, "post", self.url(jc.submissions[0]), {"reason": "x"}), 404)
        assert_error(call(owner, "post", self.url(jc.submissions[0]), {"reason": "x"}), 403)


class TestScoreboard:
    def url(self, challenge):
        return f"/api/v1/challenges/{challenge.pk}/scoreboard/"

    @pytest.mark.parametrize("who", ["owner", "staff"])
    def test_rows_best_first(self, request, jc, judge, who):
        r1, r2 = jc.requirements
        evaluation_save(
            submission_id=jc.submissions[1].pk, judge=judge, scores={r1.pk: 8, r2.pk: 4}
        )
        data = call(request.getfixturevalue(who), "get", self.url(jc.challenge)).json()
        assert data["judges"] == [{"id": judge.pk, "name": str(judge)}]
        best, unscored = data["rows"]
        assert (best["submission"], best["rank"], best["total"], best["complete"]) == (
            jc.submissions[1].pk,
            1,
            "64.00",
            True,
        )
        assert best["averages"] == {str(r1.pk): "8.00", str(r2.pk): "4.00"}
        assert best["scores"] == {str(r1.pk): {str(judge.pk): 8}, str(r2.pk): {str(judge.pk): 4}}
        assert best["author"]["id"] == jc.solvers[1].pk and best["disagreements"] == []
        assert (unscored["rank"], unscored["total"], unscored["judges"]) == (None, None, 0)

    @pytest.mark.parametrize("who", ["judge", "manager", "solver", "outsider"])
    def test_404_for_everyone_else(self, request, jc, who):
        assert_error(call(request.getfixturevalue(who), "get", self.url(jc.challenge)), 404)


class TestShortlist:
    def url(self, submission):
        return f"/api/v1/submissions/{submission.pk}/shortlist/"

    def test_owner_toggles(self, jc, owner):
        entry = jc.submissions[0]
        response = call(owner, "post", self.url(entry), {"shortlisted": True})
        assert response.json() == {"id": entry.pk, "shortlisted": True}
        call(owner, "post", self.url(entry), {"shortlisted": False})
        assert not Submission.objects.get(pk=entry.pk).shortlisted

    def test_errors(self, jc, owner, judge, solver):
        entry = jc.submissions[0]
        assert (
            "shortlisted" in assert_error(call(owner, "post", self.url(entry), {}), 400)["fields"]
        )
        assert_error(call(judge, "post", self.url(entry), {"shortlisted": True}), 403)
        assert_error(call(solver, "post", self.url(entry), {"shortlisted": True}), 404)
        set_state(jc.challenge, S.CLOSED)
        response = call(owner, "post", self.url(entry), {"shortlisted": True})
        assert_error(response, 409, "illegal_transition")
