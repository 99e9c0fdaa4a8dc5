"""The Seeker dashboard and the transition buttons it (and the manage page) posts to."""

import pytest
from django.urls import reverse

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.judging.models import Conflict
from tests.factories import (
    ChallengeFactory,
    EvaluationFactory,
    OrganizationFactory,
    judged_challenge,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("seekers:dashboard")


def go(challenge, name) -> str:
    return reverse("seekers:challenge_transition", args=[challenge.pk, name])


def state_of(challenge) -> str:
    return Challenge.objects.get(pk=challenge.pk).state


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


class TestDashboard:
    def test_login_required(self, client, db):
        response = client.get(DASHBOARD)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_without_organisation_invites_to_create_one(self, client, solver):
        client.force_login(solver)
        content = client.get(DASHBOARD).content.decode()
        assert "Create an organisation" in content
        assert reverse("seekers:organization_create") in content

    def test_challenges_grouped_by_state_of_my_organisations_only(self, client, org, owner):
        ChallengeFactory(organization=org, title="Draft one")
        ChallengeFactory(organization=org, title="Open one", state=S.OPEN)
        ChallengeFactory(organization=OrganizationFactory(), title="Somebody else's")
        client.force_login(owner)
        response = client.get(DASHBOARD)
        [panel] = response.context["panels"]
        assert panel.org == org
        assert [(g.state, [c.title for c, _ in g.rows]) for g in panel.groups] == [
            (S.DRAFT, ["Draft one"]),
            (S.OPEN, ["Open one"]),
        ]
        content = response.content.decode()
        assert "Somebody else&#x27;s" not in content and "Somebody else's" not in content
        assert "$25,000.00" in content

    @pytest.mark.parametrize(
        ("who", "shown", "hidden"),
        [
            ("owner", ["submit", "cancel"], []),
            ("manager", ["submit"], ["cancel"]),
            ("judge", [], ["submit", "cancel"]),
        ],
    )
    def test_actions_follow_the_role(self, client, request, draft, who, shown, hidden):
        client.force_login(request.getfixturevalue(who))
        content = client.get(DASHBOARD).content.decode()
        assert draft.title in content
        for name in shown:
            assert go(draft, name) in content
        for name in hidden:
            assert go(draft, name) not in content

    def test_new_challenge_link_only_for_editors(self, client, org, owner, judge):
        link = reverse("seekers:challenge_create", args=[org.pk])
        client.force_login(owner)
        assert link in client.get(DASHBOARD).content.decode()
        client.force_login(judge)
        assert link not in client.get(DASHBOARD).content.decode()

    def test_incomplete_draft_cannot_be_submitted(self, client, org, owner):
        draft = ChallengeFactory(organization=org, plan=False)
        client.force_login(owner)
        content = client.get(DASHBOARD).content.decode()
        assert go(draft, "cancel") in content and go(draft, "submit") not in content

    def test_reason_field_for_transitions_that_need_one(self, client, draft, owner):
        client.force_login(owner)
        content = client.get(DASHBOARD).content.decode()
        cancel_form = content[content.index(go(draft, "cancel")) :]
        cancel_form = cancel_form[: cancel_form.index("</form>")]
        assert 'name="reason" required' in cancel_form
        submit_form = content[content.index(go(draft, "submit")) :]
        assert 'name="reason"' not in submit_form[: submit_form.index("</form>")]


class TestJudgeDashboard:
    NOTHING = "Nothing for you to do now."

    def test_entries_to_score_link_to_the_workspace(self, client, org, owner, judge):
        judged = judged_challenge(org, owner, entrants=3, judges=[judge])
        first, second, third = judged.submissions
        for requirement in judged.requirements:
            EvaluationFactory(submission=first, judge=judge, requirement=requirement)
        EvaluationFactory(submission=second, judge=judge, requirement=judged.requirements[0])
        client.force_login(judge)
        content = client.get(DASHBOARD).content.decode()
        workspace = reverse("seekers:judging", args=[judged.challenge.pk])
        assert f'<a href="{workspace}">2 entries to score</a>' in content
        assert self.NOTHING not in content
        Conflict.objects.create(submission=third, judge=judge, reason="My cousin.")
        assert "1 entry to score" in client.get(DASHBOARD).content.decode()

    def test_nothing_to_do_once_every_entry_is_scored(self, client, org, owner, judge):
        judged = judged_challenge(org, owner, judges=[judge])
        for submission in judged.submissions:
            for requirement in judged.requirements:
                EvaluationFactory(submission=submission, judge=judge, requirement=requirement)
        client.force_login(judge)
        content = client.get(DASHBOARD).content.decode()
        assert "to score" not in content
        assert self.NOTHING in content

    def test_other_judges_scores_do_not_count(self, client, org, owner, judge):
        judged = judged_challenge(org, owner, entrants=1, judges=[judge, owner])
        for requirement in judged.requirements:
            EvaluationFactory(
                submission=judged.submissions[0], judge=owner, requirement=requirement
            )
        client.force_login(judge)
        assert "1 entry to score" in client.get(DASHBOARD).content.decode()


class TestTransitionView:
    def test_owner_submits_and_sees_the_result(self, client, draft, owner):
        client.force_login(owner)
        response = client.post(go(draft, "submit"), {"next": DASHBOARD}, follow=True)
        assert state_of(draft) == S.IN_REVIEW
        assert response.redirect_chain[-1][0] == DASHBOARD
        assert f"“{draft.title}” is now In review." in messages_of(response)
        event = ChallengeEvent.objects.get()
        assert (event.actor, event.from_state, event.to_state) == (owner, S.DRAFT, S.IN_REVIEW)

    def test_role_missing_is_refused_with_a_message(self, client, draft, judge):
        client.force_login(judge)
        response = client.post(go(draft, "submit"), follow=True)
        assert state_of(draft) == S.DRAFT
        assert "You do not have the role needed for this action." in messages_of(response)
        assert not ChallengeEvent.objects.exists()

    def test_wrong_state_is_refused_with_a_message(self, client, draft, owner):
        client.force_login(owner)
        response = client.post(go(draft, "start_judging"), follow=True)
        assert state_of(draft) == S.DRAFT
        assert "“start_judging” is not possible while the challenge is Draft." in messages_of(
            response
        )

    def test_failed_condition_is_explained(self, client, org, owner):
        draft = ChallengeFactory(organization=org, plan=False)
        client.force_login(owner)
        response = client.post(go(draft, "submit"), follow=True)
        assert state_of(draft) == S.DRAFT
        assert "Add at least one solution requirement and one award first." in messages_of(response)

    def test_reason_is_required_and_recorded(self, client, draft, owner):
        client.force_login(owner)
        response = client.post(go(draft, "cancel"), {"reason": " "}, follow=True)
        assert state_of(draft) == S.DRAFT
        assert "Give a reason for this action." in messages_of(response)
        client.post(go(draft, "cancel"), {"reason": "Budget moved."})
        assert state_of(draft) == S.CANCELLED
        assert ChallengeEvent.objects.get().reason == "Budget moved."

    def test_overlong_reason_is_refused(self, client, draft, owner):
        client.force_login(owner)
        response = client.post(go(draft, "cancel"), {"reason": "x" * 5001}, follow=True)
        assert state_of(draft) == S.DRAFT
        assert "Ensure this value has at most 5000 characters (it has 5001)." in messages_of(
            response
        )

    def test_unknown_action(self, client, draft, owner):
        client.force_login(owner)
        response = client.post(go(draft, "delete"), follow=True)
        assert "Unknown action." in messages_of(response)
        assert state_of(draft) == S.DRAFT

    @pytest.mark.parametrize("who", ["outsider", "solver"])
    def test_non_members_get_404(self, client, request, draft, who):
        client.force_login(request.getfixturevalue(who))
        assert client.post(go(draft, "submit")).status_code == 404
        assert state_of(draft) == S.DRAFT

    def test_get_is_not_allowed(self, client, draft, owner):
        client.force_login(owner)
        assert client.get(go(draft, "submit")).status_code == 405
        assert state_of(draft) == S.DRAFT

    def test_foreign_next_is_ignored(self, client, draft, owner):
        client.force_login(owner)
        response = client.post(go(draft, "submit"), {"next": "https://evil.example/"})
        assert response["Location"] == reverse("seekers:challenge_manage", args=[draft.pk])
