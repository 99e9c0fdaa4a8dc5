"""The Seeker's list of submissions: revealed to owners and judges once the challenge
has closed, with the solvers' identities hidden under blind judging; before that a page
that says when; a 404 for everyone outside the organisation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.submissions.services import submission_withdraw
from tests.factories import ChallengeFactory, submission_for

pytestmark = pytest.mark.django_db


def close(challenge, **changes):
    Challenge.objects.filter(pk=challenge.pk).update(
        state="closed", submission_deadline=timezone.now() - timedelta(minutes=1), **changes
    )


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def list_url(challenge):
    return reverse("seekers:submissions", args=[challenge.pk])


def test_before_the_deadline_members_are_told_when(client, entrants, manager):
    e = entrants
    for user in (e.owner, e.judge, manager):
        response = get(client, user, list_url(e.challenge))
        page = response.content.decode()
        assert response.status_code == 200
        assert (
            "revealed to the organisation's owners and judges after the submission deadline" in page
        )
        assert e.submission.title not in page


def test_managers_do_not_read_submissions(client, entrants, manager):
    close(entrants.challenge)
    page = get(client, manager, list_url(entrants.challenge)).content.decode()
    assert "Only the organisation's owners and judges read the submissions." in page
    assert entrants.submission.title not in page


@pytest.mark.parametrize("who", ["registered", "other", "captain", "foreign_judge"])
def test_everyone_outside_the_organisation_gets_404(client, entrants, who):
    close(entrants.challenge)
    user = getattr(entrants, who)
    assert get(client, user, list_url(entrants.challenge)).status_code == 404
    url = reverse("seekers:submission_detail", args=[entrants.challenge.pk, entrants.submission.pk])
    assert client.get(url).status_code == 404


def test_judges_read_the_active_submissions_after_closing(client, entrants):
    e = entrants
    solo = submission_for(e.challenge, e.registered, title="Solo entry", abstract="Alone.")
    gone = submission_for(e.challenge, e.registered, title="Second thoughts")
    submission_withdraw(submission_id=gone.pk, actor=e.registered)
    close(e.challenge)
    page = get(client, e.judge, list_url(e.challenge)).content.decode()
    assert "Algae film, team Tide" in page and "Team Tide" in page
    assert "Solo entry" in page and "Alone." in page and "Cy Registered" in page
    assert "Second thoughts" not in page
    assert e.submission.sha256 in page and e.file.sha256 in page
    assert reverse("submission_file_download", args=[e.submission.pk, e.file.pk]) in page
    assert page.index("Algae film") < page.index("Solo entry")  # entry order
    detail = reverse("seekers:submission_detail", args=[e.challenge.pk, solo.pk])
    assert detail in page
    page = client.get(detail).content.decode()
    assert "Solo entry" in page and "<strong>text</strong>" in page and "Cy Registered" in page
    withdrawn = reverse("seekers:submission_detail", args=[e.challenge.pk, gone.pk])
    assert client.get(withdrawn).status_code == 404


def test_blind_judging_hides_the_solvers(client, entrants):
    e = entrants
    solo = submission_for(e.challenge, e.registered, title="Solo entry")
    close(e.challenge, blind_judging=True)
    for reader in (e.owner, e.judge):
        page = get(client, reader, list_url(e.challenge)).content.decode()
        assert "Entry #1" in page and "Entry #2" in page
        for name in ("Ada Captain", "Ben Member", "Cy Registered", "Team Tide"):
            assert name not in page
        page = client.get(
            reverse("seekers:submission_detail", args=[e.challenge.pk, solo.pk])
        ).content.decode()
        assert "Entry #2" in page and "Cy Registered" not in page
    page = get(client, e.staff, list_url(e.challenge)).content.decode()
    assert "Cy Registered" in page and "Team Tide" in page


def test_a_submission_of_another_challenge_is_404(client, entrants, org):
    e = entrants
    other = ChallengeFactory(organization=org, state="closed")
    close(e.challenge)
    url = reverse("seekers:submission_detail", args=[other.pk, e.submission.pk])
    assert get(client, e.owner, url).status_code == 404


def test_the_manage_page_links_to_the_submissions(client, entrants):
    page = get(
        client, entrants.owner, reverse("seekers:challenge_manage", args=[entrants.challenge.pk])
    )
    assert list_url(entrants.challenge) in page.content.decode()
