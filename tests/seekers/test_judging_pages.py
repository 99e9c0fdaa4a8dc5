"""The judging pages: assigning judges, the judging workspace and scoring one entry."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.judging.models import Evaluation, JudgeAssignment
from marketplace.judging.services import conflict_declare, evaluation_save
from marketplace.organisations.roles import OrgRole
from tests.factories import MembershipFactory, judged_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def jc(org, owner, judge):
    """Being judged: requirements weighing 60 and 40, two entries, `judge` assigned."""
    return judged_challenge(org, owner, entrants=2, judges=[judge])


@pytest.fixture
def unassigned(org):
    return MembershipFactory(organization=org, role=OrgRole.JUDGE).user


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def workspace_url(challenge):
    return reverse("seekers:judging", args=[challenge.pk])


def entry_url(challenge, submission):
    return reverse("seekers:judging_entry", args=[challenge.pk, submission.pk])


def score_data(jc, first, second, note="") -> dict:
    r1, r2 = jc.requirements
    return {f"score_{r1.pk}": first, f"note_{r1.pk}": note, f"score_{r2.pk}": second}


class TestJudges:
    def url(self, challenge):
        return reverse("seekers:judges", args=[challenge.pk])

    def test_owner_assigns_and_removes_a_judge(self, client, owner, draft, unassigned):
        page = get(client, owner, self.url(draft)).content.decode()
        assert unassigned.email in page and "Assign a judge" in page
        response = post(client, owner, self.url(draft), {"judge": unassigned.pk})
        assert response.status_code == 302
        assert JudgeAssignment.objects.filter(challenge=draft, judge=unassigned).exists()
        remove = reverse("seekers:judge_remove", args=[draft.pk, unassigned.pk])
        assert post(client, owner, remove).status_code == 302
        assert not JudgeAssignment.objects.filter(challenge=draft).exists()

    def test_only_judges_and_owners_can_be_picked(self, client, owner, manager, draft):
        page = get(client, owner, self.url(draft)).content.decode()
        assert manager.email not in page
        response = post(client, owner, self.url(draft), {"judge": manager.pk})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
        assert not JudgeAssignment.objects.exists()

    @pytest.mark.parametrize("who", ["judge", "manager"])
    def test_other_members_see_the_judges_but_cannot_change_them(
        self, client, request, owner, judge, draft, who
    ):
        JudgeAssignment.objects.create(challenge=draft, judge=owner, assigned_by=owner)
        user = request.getfixturevalue(who)
        page = get(client, user, self.url(draft)).content.decode()
        assert escape(str(owner)) in page and "Assign a judge" not in page
        response = post(client, user, self.url(draft), {"judge": judge.pk})
        assert response.status_code == 302
        assert "owners can do this." in client.get(response.url).content.decode()
        remove = reverse("seekers:judge_remove", args=[draft.pk, owner.pk])
        post(client, user, remove)
        assert JudgeAssignment.objects.filter(challenge=draft).count() == 1

    @pytest.mark.parametrize("who", ["solver", "outsider"])
    def test_404_outside_the_organisation(self, client, request, draft, who):
        assert get(client, request.getfixturevalue(who), self.url(draft)).status_code == 404

    def test_no_changes_once_judging_is_over(self, client, owner, judge, draft):
        Challenge.objects.filter(pk=draft.pk).update(state=S.AWARDING)
        assert "Assign a judge" not in get(client, owner, self.url(draft)).content.decode()

    def test_the_manage_page_lists_the_judges_and_links_here(self, client, owner, jc, judge):
        page = get(client, owner, reverse("seekers:challenge_manage", args=[jc.challenge.pk]))
        assert escape(str(judge)) in page.content.decode()
        assert self.url(jc.challenge) in page.content.decode()


class TestWorkspace:
    @pytest.mark.parametrize("who", ["owner", "judge"])
    def test_owners_and_assigned_judges(self, client, request, jc, who):
        page = get(client, request.getfixturevalue(who), workspace_url(jc.challenge))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Entry #1" in html and "Entry #2" in html and "0/2 scored" in html

    @pytest.mark.parametrize("who", ["solver", "outsider", "manager", "unassigned", "staff"])
    def test_404_for_everyone_else(self, client, request, jc, who):
        user = request.getfixturevalue(who)
        assert get(client, user, workspace_url(jc.challenge)).status_code == 404
        entry = entry_url(jc.challenge, jc.submissions[0])
        assert get(client, user, entry).status_code == 404

    def test_a_judge_of_another_organisation_gets_404(self, client, jc):
        foreign = MembershipFactory(role=OrgRole.JUDGE).user
        JudgeAssignment.objects.create(challenge=jc.challenge, judge=foreign, assigned_by=foreign)
        assert get(client, foreign, workspace_url(jc.challenge)).status_code == 404

    def test_progress_and_own_total(self, client, jc, judge):
        evaluation_save(
            submission_id=jc.submissions[0].pk,
            judge=judge,
            scores={jc.requirements[0].pk: {"score": 10}},
        )
        html = get(client, judge, workspace_url(jc.challenge)).content.decode()
        assert "1/2 scored" in html and "60.00" in html

    def test_blind_judging_hides_names_from_judges_and_owners(self, client, jc, owner, judge):
        Challenge.objects.filter(pk=jc.challenge.pk).update(blind_judging=True)
        name = escape(str(jc.solvers[0]))
        entry = entry_url(jc.challenge, jc.submissions[0])
        for reader in (judge, owner):
            assert name not in get(client, reader, workspace_url(jc.challenge)).content.decode()
            assert name not in get(client, reader, entry).content.decode()
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.COMPLETED)
        assert name in get(client, owner, workspace_url(jc.challenge)).content.decode()

    def test_names_are_shown_without_blind_judging(self, client, jc, judge):
        html = get(client, judge, workspace_url(jc.challenge)).content.decode()
        assert escape(str(jc.solvers[0])) in html

    def test_a_conflicted_entry_disappears_for_that_judge(self, client, jc, judge, owner):
        conflict_declare(submission_id=jc.submissions[0].pk, judge=judge, reason="Friend")
        html = get(client, judge, workspace_url(jc.challenge)).content.decode()
        assert "Entry 1" not in html and "Entry 2" in html
        assert get(client, judge, entry_url(jc.challenge, jc.submissions[0])).status_code == 404
        assert "Entry 1" in get(client, owner, workspace_url(jc.challenge)).content.decode()

    def test_before_the_entries_are_revealed(self, client, org, owner, judge):
        jc = judged_challenge(org, owner, entrants=1, judges=[judge], state=S.OPEN)
        page = get(client, judge, workspace_url(jc.challenge))
        assert page.status_code == 200
        assert "Entries are revealed after the submission deadline" in page.content.decode()

    def test_no_entries(self, client, org, owner, judge):
        jc = judged_challenge(org, owner, entrants=0, judges=[judge])
        assert (
            "No entries to judge."
            in get(client, judge, workspace_url(jc.challenge)).content.decode()
        )


class TestScoring:
    def test_the_form_has_one_fieldset_per_requirement(self, client, jc, judge):
        html = get(client, judge, entry_url(jc.challenge, jc.submissions[0])).content.decode()
        assert html.count("<fieldset>") == 2
        assert 'type="number"' in html and 'min="0"' in html and 'max="10"' in html
        assert "Requirement 1" in html and "weight 60 %" in html
        assert "Save and next entry" in html and "Declare a conflict of interest" in html
        assert "Long <strong>text</strong>." in html  # the entry's body, rendered

    def test_save_opens_the_next_unscored_entry_then_the_workspace(self, client, jc, judge):
        first, second = jc.submissions
        response = post(client, judge, entry_url(jc.challenge, first), score_data(jc, 7, 8, "ok"))
        assert response.url == entry_url(jc.challenge, second)
        saved = {
            e.requirement_id: (e.score, e.note) for e in Evaluation.objects.filter(judge=judge)
        }
        r1, r2 = jc.requirements
        assert saved == {r1.pk: (7, "ok"), r2.pk: (8, "")}
        response = post(client, judge, entry_url(jc.challenge, second), score_data(jc, 5, 5))
        assert response.url == workspace_url(jc.challenge)

    def test_saved_scores_fill_the_form_again(self, client, jc, judge):
        first = jc.submissions[0]
        post(client, judge, entry_url(jc.challenge, first), score_data(jc, 3, 9, "Thin data"))
        html = get(client, judge, entry_url(jc.challenge, first)).content.decode()
        assert 'value="3"' in html and "Thin data" in html

    @pytest.mark.parametrize("bad", ["11", "-1", "x", ""])
    def test_field_errors(self, client, jc, judge, bad):
        response = post(
            client, judge, entry_url(jc.challenge, jc.submissions[0]), score_data(jc, bad, 5)
        )
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
        assert not Evaluation.objects.exists()

    @pytest.mark.parametrize("state", [S.CLOSED, S.AWARDING])
    def test_outside_judging_the_entry_is_read_only(self, client, jc, judge, state):
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=state)
        url = entry_url(jc.challenge, jc.submissions[0])
        html = get(client, judge, url).content.decode()
        assert "Save and next entry" not in html and "Entry 1" in html
        response = post(client, judge, url, score_data(jc, 5, 5))
        assert response.url == url
        follow = client.get(url).content.decode()
        assert "Scores can only be given while the challenge is being judged." in follow
        assert not Evaluation.objects.exists()

    def test_an_owner_who_does_not_judge_reads_the_judges_notes(self, client, jc, owner, judge):
        evaluation_save(
            submission_id=jc.submissions[0].pk,
            judge=judge,
            scores={jc.requirements[0].pk: {"score": 6, "note": "Promising but thin"}},
        )
        html = get(client, owner, entry_url(jc.challenge, jc.submissions[0])).content.decode()
        assert escape(str(judge)) in html and "Promising but thin" in html
        assert "Save and next entry" not in html
        notes = get(client, judge, entry_url(jc.challenge, jc.submissions[0])).content.decode()
        assert "Judges' scores and notes" not in notes

    def test_declaring_a_conflict(self, client, jc, judge):
        url = reverse("seekers:judging_conflict", args=[jc.challenge.pk, jc.submissions[0].pk])
        response = post(client, judge, url, {"reason": ""})
        assert (
            response.status_code == 400 and "This field is required." in response.content.decode()
        )
        response = post(client, judge, url, {"reason": "I advised this team"})
        assert response.url == workspace_url(jc.challenge)
        assert jc.submissions[0].conflicts.get().reason == "I advised this team"
