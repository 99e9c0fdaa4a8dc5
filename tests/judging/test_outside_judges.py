"""A judge invited from outside the organisation sees only the challenge they were
invited to: they read and score its entries under the same blind-judging and conflict
rules as a member judge, and every other challenge and the organisation's pages stay
404 for them."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.challenges.permissions import can_read_brief, can_view, is_active_judge
from marketplace.judging.invitations import judge_invitation_accept
from marketplace.judging.models import Evaluation
from marketplace.judging.selectors import entries_to_score
from marketplace.judging.services import conflict_declare, evaluation_save
from marketplace.submissions.identity import shows_solvers
from marketplace.submissions.permissions import can_read_submission
from tests.api_calls import assert_error, call
from tests.factories import ChallengeFactory, judged_challenge
from tests.judging.invites import invite, verified_user

pytestmark = pytest.mark.django_db


def accepted(capture, challenge, owner):
    """A person outside the organisation, invited to judge `challenge`, who accepted."""
    guest = verified_user("guest@university.example")
    _invitation, token, _mail = invite(capture, challenge, owner, guest.email)
    judge_invitation_accept(token=token, user=guest)
    return guest


@pytest.fixture
def jc(org, owner):
    """Being judged: requirements weighing 60 and 40, two entries."""
    return judged_challenge(org, owner, entrants=2)


@pytest.fixture
def other(org, owner):
    """Another challenge of the same organisation, also being judged."""
    return judged_challenge(org, owner, entrants=1)


@pytest.fixture
def guest(django_capture_on_commit_callbacks, jc, owner):
    return accepted(django_capture_on_commit_callbacks, jc.challenge, owner)


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def scores(jc, first, second) -> dict:
    r1, r2 = jc.requirements
    return {r1.pk: {"score": first}, r2.pk: {"score": second}}


class TestTheirChallenge:
    def test_they_judge_it_and_score_its_entries(self, client, jc, guest):
        assert is_active_judge(guest, jc.challenge)
        html = page(client, guest, reverse("seekers:judging", args=[jc.challenge.pk]))
        assert html.status_code == 200
        assert "Entry #1" in html.content.decode() and "Entry #2" in html.content.decode()
        evaluation_save(submission_id=jc.submissions[0].pk, judge=guest, scores=scores(jc, 8, 6))
        assert Evaluation.objects.filter(judge=guest).count() == 2

    def test_their_dashboard_lists_it_with_the_entries_to_score(self, client, jc, other, guest):
        assert entries_to_score(guest) == {jc.challenge.pk: 2}
        html = page(client, guest, reverse("seekers:dashboard")).content.decode()
        assert escape(jc.challenge.title) in html
        assert escape(other.challenge.title) not in html
        assert reverse("seekers:judging", args=[jc.challenge.pk]) in html
        assert "Post your first challenge" not in html

    def test_the_navigation_leads_to_the_dashboard(self, client, guest):
        html = page(client, guest, reverse("home")).content.decode()
        assert reverse("seekers:dashboard") in html

    def test_the_api_gives_their_entries_and_takes_their_scores(self, jc, guest):
        body = call(guest, "get", f"/api/v1/challenges/{jc.challenge.pk}/judging/").json()
        assert body["can_score"] is True and len(body["entries"]) == 2
        response = call(
            guest,
            "put",
            f"/api/v1/submissions/{jc.submissions[1].pk}/evaluation/",
            {"scores": {str(r.pk): {"score": 5} for r in jc.requirements}},
        )
        assert response.status_code == 200

    def test_blind_judging_hides_the_solvers_from_them(self, client, jc, guest):
        Challenge.objects.filter(pk=jc.challenge.pk).update(blind_judging=True)
        challenge = Challenge.objects.get(pk=jc.challenge.pk)
        assert not shows_solvers(guest, challenge)
        name = escape(str(jc.solvers[0]))
        entry = reverse("seekers:judging_entry", args=[jc.challenge.pk, jc.submissions[0].pk])
        assert name not in page(client, guest, entry).content.decode()
        body = call(guest, "get", f"/api/v1/challenges/{jc.challenge.pk}/judging/").json()
        assert {(e["author"], e["team"]) for e in body["entries"]} == {(None, None)}

    def test_a_conflict_hides_the_entry_from_them(self, client, jc, guest):
        first = jc.submissions[0]
        conflict_declare(submission_id=first.pk, judge=guest, reason="My former student")
        assert not can_read_submission(guest, first)
        entry = reverse("seekers:judging_entry", args=[jc.challenge.pk, first.pk])
        assert page(client, guest, entry).status_code == 404
        assert entries_to_score(guest) == {jc.challenge.pk: 1}

    def test_an_unpublished_challenge_they_judge_shows_them_its_brief(
        self, django_capture_on_commit_callbacks, client, org, owner
    ):
        draft = ChallengeFactory(organization=org, created_by=owner)
        guest = accepted(django_capture_on_commit_callbacks, draft, owner)
        assert can_view(guest, draft) and can_read_brief(guest, draft)
        assert page(client, guest, reverse("challenge_detail", args=[draft.pk])).status_code == 200

    def test_removing_them_ends_it(self, client, jc, owner, guest):
        remove = reverse("seekers:judge_remove", args=[jc.challenge.pk, guest.pk])
        client.force_login(owner)
        assert client.post(remove).status_code == 302
        assert (
            page(client, guest, reverse("seekers:judging", args=[jc.challenge.pk])).status_code
            == 404
        )


class TestEverythingElse:
    def test_another_challenge_of_the_organisation_is_404(self, client, other, guest):
        c = other.challenge
        for url in (
            reverse("seekers:judging", args=[c.pk]),
            reverse("seekers:judging_entry", args=[c.pk, other.submissions[0].pk]),
        ):
            assert page(client, guest, url).status_code == 404
        assert not can_read_submission(guest, other.submissions[0])
        assert_error(call(guest, "get", f"/api/v1/challenges/{c.pk}/judging/"), 404)
        assert_error(call(guest, "get", f"/api/v1/submissions/{other.submissions[0].pk}/"), 404)

    def test_a_draft_of_the_organisation_is_404(self, client, org, owner, guest):
        draft = ChallengeFactory(organization=org, created_by=owner)
        assert page(client, guest, reverse("challenge_detail", args=[draft.pk])).status_code == 404

    def test_the_organisations_pages_are_404(self, client, org, jc, guest):
        c = jc.challenge.pk
        for url in (
            reverse("seekers:organization_members", args=[org.pk]),
            reverse("seekers:challenge_manage", args=[c]),
            reverse("seekers:challenge_edit", args=[c]),
            reverse("seekers:judges", args=[c]),
            reverse("seekers:scores", args=[c]),
            reverse("seekers:awards", args=[c]),
            reverse("seekers:submissions", args=[c]),
        ):
            assert page(client, guest, url).status_code == 404, url
        for url in (
            f"/api/v1/challenges/{c}/judges/",
            f"/api/v1/challenges/{c}/scoreboard/",
            f"/api/v1/challenges/{c}/judge-invitations/",
            f"/api/v1/organizations/{org.pk}/",
        ):
            assert_error(call(guest, "get", url), 404)

    def test_they_cannot_score_once_judging_is_over(self, jc, guest):
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.AWARDING)
        response = call(
            guest,
            "put",
            f"/api/v1/submissions/{jc.submissions[0].pk}/evaluation/",
            {"scores": {str(r.pk): {"score": 5} for r in jc.requirements}},
        )
        assert_error(response, 409, "judging_closed")
