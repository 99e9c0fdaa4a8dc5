"""A finished challenge's public results: the winners (unless anonymous), what each
was paid and their certificates, what went back to the Seeker; every solver with an
entry told once whether they won; nothing before the challenge finished."""

import pytest
from django.urls import reverse

from legal.models import Certificate
from marketplace.awards.models import AwardState
from marketplace.awards.services.finalize import awards_finalize
from marketplace.awards.services.propose import award_propose
from marketplace.awards.services.results import award_anonymity_set
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition
from marketplace.lifecycle.services import challenge_transition
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.submissions.models import ReviewStatus, Submission
from marketplace.submissions.reviews import submission_review_set
from tests.api_calls import assert_error, call
from tests.factories import ChallengeFactory
from tests.story import awarding, claim

pytestmark = pytest.mark.django_db


def results_url(challenge) -> str:
    return reverse("challenge_results", args=[challenge.pk])


def first_award_only(people):
    """7,000.00 to Ada's entry; Ben's entry is not chosen."""
    first = people.planned[0]
    return award_propose(
        challenge_id=people.challenge.pk,
        actor=people.owner,
        submission_id=people.submissions[0].pk,
        planned_award_id=first.pk,
        amount=None,
    )


@pytest.fixture
def completed(django_capture_on_commit_callbacks):
    people = awarding()
    award = first_award_only(people)
    with django_capture_on_commit_callbacks(execute=True):
        claim(award, people.solvers[0])
    with django_capture_on_commit_callbacks(execute=True):
        awards_finalize(challenge_id=people.challenge.pk, actor=people.owner)
    assert people.refresh().state == S.COMPLETED
    people.award = award
    return people


def results_notices():
    return Notification.objects.filter(kind=NotificationKind.RESULTS_PUBLISHED)


class TestPage:
    def test_names_the_winner_the_amount_the_certificate_and_what_went_back(
        self, client, completed
    ):
        page = client.get(results_url(completed.challenge)).content.decode()
        certificate = Certificate.objects.get(recipient=completed.solvers[0])
        assert "Ada Winner" in page and "$7,000.00" in page
        assert reverse("certificate_verify", args=[certificate.uuid]) in page
        assert "Ben Runner" not in page
        assert "Paid to winners: $7,000.00" in page
        assert "Returned to the Seeker: $3,000.00" in page
        assert "Tidewater Packaging" in page
        assert "2 entries were judged." in page
        detail = client.get(reverse("challenge_detail", args=[completed.challenge.pk]))
        assert results_url(completed.challenge) in detail.content.decode()

    def test_an_anonymous_winner_and_an_anonymous_seeker_are_not_named(self, client, completed):
        Challenge.objects.filter(pk=completed.challenge.pk).update(hide_seeker=True)
        award_anonymity_set(award_id=completed.award.pk, user=completed.solvers[0], anonymous=True)
        page = client.get(results_url(completed.challenge)).content.decode()
        assert "Ada Winner" not in page and "chose to stay anonymous" in page
        assert "$7,000.00" in page
        assert "/certificates/" not in page
        assert "Tidewater Packaging" not in page

    def test_in_spanish(self, client, completed):
        page = client.get(
            results_url(completed.challenge), HTTP_ACCEPT_LANGUAGE="es"
        ).content.decode()
        assert "Resultados" in page and "7000,00" in page.replace(".", "")

    @pytest.mark.parametrize("state", [S.DRAFT, S.OPEN, S.JUDGING, S.AWARDING, S.CANCELLED])
    def test_none_before_the_challenge_finished(self, client, staff, state):
        challenge = ChallengeFactory(state=state)
        client.force_login(staff)
        assert client.get(results_url(challenge)).status_code == 404

    def test_ended_with_no_award(self, client, django_capture_on_commit_callbacks):
        people = awarding()
        with django_capture_on_commit_callbacks(execute=True):
            challenge_transition(
                challenge_id=people.challenge.pk,
                name="declare_no_award",
                actor=people.owner,
                reason="No entry met the brief",
            )
        page = client.get(results_url(people.challenge)).content.decode()
        assert "without an award" in page and "No entry met the brief" not in page
        assert "Returned to the Seeker: $10,000.00" in page
        told = results_notices()
        assert sorted(n.user_id for n in told) == sorted(s.pk for s in people.solvers)
        assert all(n.params == {"won": False, "state": "no_award"} for n in told)


class TestAnnouncement:
    def test_every_entrant_is_told_once_whether_they_won(self, completed):
        ada, ben = completed.solvers
        told = {n.user_id: n.params["won"] for n in results_notices()}
        assert told == {ada.pk: True, ben.pk: False}
        client_words = {n.user_id: n for n in results_notices().select_related("challenge", "user")}
        assert client_words[ada.pk].challenge_id == completed.challenge.pk

    def test_the_notification_leads_to_the_results(self, client, completed):
        ben = completed.solvers[1]
        client.force_login(ben)
        page = client.get(reverse("notifications")).content.decode()
        assert "was not among the winners" in page
        notice = results_notices().get(user=ben)
        opened = client.get(reverse("notification_open", args=[notice.pk]))
        assert opened.status_code == 302 and opened["Location"] == results_url(completed.challenge)


class TestEntriesConcluded:
    def test_entries_left_in_the_running_become_not_selected_silently(self, completed):
        ada_entry, ben_entry = (Submission.objects.get(pk=s.pk) for s in completed.submissions)
        assert ada_entry.review_status == ReviewStatus.WINNER
        assert ben_entry.review_status == ReviewStatus.NOT_SELECTED
        last = ben_entry.reviews.order_by("-pk").first()
        assert last.actor is None and last.to_status == ReviewStatus.NOT_SELECTED
        assert not Notification.objects.filter(
            kind=NotificationKind.ENTRY_REVIEWED, user=completed.solvers[1]
        ).exists()

    def test_an_entry_found_not_admissible_keeps_its_status(
        self, django_capture_on_commit_callbacks
    ):
        people = awarding()
        ben_entry = people.submissions[1]
        submission_review_set(
            submission_id=ben_entry.pk,
            actor=people.owner,
            status=ReviewStatus.NOT_ADMISSIBLE,
            reason="Not sea-degradable.",
        )
        with django_capture_on_commit_callbacks(execute=True):
            challenge_transition(
                challenge_id=people.challenge.pk,
                name="declare_no_award",
                actor=people.owner,
                reason="No entry met the brief",
            )
        statuses = dict(
            Submission.objects.filter(challenge=people.challenge).values_list("pk", "review_status")
        )
        assert statuses == {
            people.submissions[0].pk: ReviewStatus.NOT_SELECTED,
            ben_entry.pk: ReviewStatus.NOT_ADMISSIBLE,
        }


class TestAnonymityChoice:
    def test_on_the_award_page(self, client, completed):
        ada = completed.solvers[0]
        client.force_login(ada)
        url = reverse("solvers:award_anonymity", args=[completed.award.pk])
        client.post(url, {"anonymous": "1"})
        assert completed.award.recipients.get(user=ada).anonymous
        page = client.get(reverse("solvers:award_detail", args=[completed.award.pk]))
        assert "Show my name on the results" in page.content.decode()
        client.post(url, {"anonymous": "0"})
        assert not completed.award.recipients.get(user=ada).anonymous

    def test_through_the_api(self, completed):
        ada, ben = completed.solvers
        url = reverse("api-award-anonymity", args=[completed.award.pk])
        response = call(ada, "post", url, {"anonymous": True})
        assert response.status_code == 200
        assert response.json()["recipients"][0]["anonymous"] is True
        assert_error(call(ben, "post", url, {"anonymous": True}), 404)
        assert_error(call(ada, "post", url, {"anonymous": "maybe"}), 400)
        assert_error(call(None, "post", url, {"anonymous": True}), 401)

    def test_not_for_a_forfeited_award(self, completed):
        ada = completed.solvers[0]
        type(completed.award).objects.filter(pk=completed.award.pk).update(
            state=AwardState.FORFEITED
        )
        with pytest.raises(IllegalTransition):
            award_anonymity_set(award_id=completed.award.pk, user=ada, anonymous=True)
