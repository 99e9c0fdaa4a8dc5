"""The review on the pages: the owner and judges set an entry's status, reason and note
on the judging entry page (with its history); the solver reads the status and note on
their entry page, in English and Spanish."""

import pytest
from django.urls import reverse

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.submissions.models import ReviewStatus as R
from marketplace.submissions.models import Submission, SubmissionReview
from marketplace.submissions.reviews import submission_review_set
from tests.factories import judged_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def jc(org, owner, judge):
    return judged_challenge(org, owner, entrants=2, judges=[judge])


def entry_url(challenge, entry):
    return reverse("seekers:judging_entry", args=[challenge.pk, entry.pk])


def review_url(challenge, entry):
    return reverse("seekers:judging_review", args=[challenge.pk, entry.pk])


def solver_url(entry):
    return reverse("solvers:submission_detail", args=[entry.pk])


class TestSeekerSide:
    def test_owner_sets_the_status_and_sees_the_history(self, client, jc, owner):
        entry = jc.submissions[0]
        client.force_login(owner)
        page = client.get(entry_url(jc.challenge, entry)).content.decode()
        assert 'value="not_selected"' not in page  # not before awarding
        assert 'value="shortlisted"' in page and 'value="winner"' not in page
        response = client.post(
            review_url(jc.challenge, entry),
            {"status": "shortlisted", "reason": "", "note": "One of three finalists."},
        )
        assert response.status_code == 302
        entry = Submission.objects.get(pk=entry.pk)
        assert (entry.review_status, entry.review_note) == (
            R.SHORTLISTED,
            "One of three finalists.",
        )
        assert Notification.objects.filter(
            kind=NotificationKind.ENTRY_REVIEWED, user=entry.author
        ).exists()
        page = client.get(entry_url(jc.challenge, entry)).content.decode()
        assert "Review saved: the solver is notified." in page
        assert "History" in page and "One of three finalists." in page

    def test_a_missing_reason_is_shown_on_the_form(self, client, jc, owner):
        entry = jc.submissions[0]
        client.force_login(owner)
        response = client.post(
            review_url(jc.challenge, entry), {"status": "not_admissible", "reason": "", "note": ""}
        )
        assert response.status_code == 400
        assert "Say why the entry is not admissible." in response.content.decode()
        assert not SubmissionReview.objects.exists()

    def test_judges_screen_only(self, client, jc, judge):
        entry = jc.submissions[0]
        client.force_login(judge)
        page = client.get(entry_url(jc.challenge, entry)).content.decode()
        assert 'value="admissible"' in page and 'value="shortlisted"' not in page
        response = client.post(
            review_url(jc.challenge, entry), {"status": "shortlisted"}, follow=True
        )
        assert "You may not set this review status." in response.content.decode()
        assert Submission.objects.get(pk=entry.pk).review_status == R.RECEIVED
        client.post(review_url(jc.challenge, entry), {"status": "admissible"})
        assert Submission.objects.get(pk=entry.pk).review_status == R.ADMISSIBLE

    def test_no_form_once_ended_but_for_not_selected(self, client, jc, owner):
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.COMPLETED)
        client.force_login(owner)
        page = client.get(entry_url(jc.challenge, jc.submissions[0])).content.decode()
        assert 'value="not_selected"' in page and 'value="admissible"' not in page


class TestSolverSide:
    @pytest.fixture
    def reviewed(self, jc, owner):
        entry = jc.submissions[0]
        submission_review_set(
            submission_id=entry.pk,
            actor=owner,
            status=R.NOT_ADMISSIBLE,
            reason="The prototype data is missing.",
            note="We would welcome it next time.",
        )
        return entry

    def test_the_solver_reads_status_reason_and_note(self, client, reviewed):
        client.force_login(reviewed.author)
        page = client.get(solver_url(reviewed)).content.decode()
        assert "Feedback on your entry" in page and "Not admissible" in page
        assert "The prototype data is missing." in page
        assert "We would welcome it next time." in page
        assert "History" not in page

    def test_in_spanish(self, client, reviewed):
        client.force_login(reviewed.author)
        page = client.get(solver_url(reviewed), HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "Comentarios sobre su solución" in page and "No admisible" in page
        assert "Nota del Seeker" in page

    def test_another_solver_sees_nothing(self, client, jc, reviewed):
        client.force_login(jc.submissions[1].author)
        response = client.get(solver_url(reviewed))
        assert response.status_code == 404
        assert "We would welcome it next time." not in response.content.decode()
