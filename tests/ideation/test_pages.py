"""The pages of open ideation: the public list with its sorts on the challenge page,
the idea page, supporting by a plain form and by fetch(), comments rendered inert,
reports, the author seeing why staff hid the idea, and the staff page of bursts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.core.errors import IllegalTransition
from marketplace.ideation.models import Comment, Idea, Report, Support
from marketplace.ideation.services import idea_hide, idea_support
from marketplace.submissions.models import SubmissionVersion
from marketplace.submissions.services import submission_update
from tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    UserFactory,
    idea_challenge,
    idea_for,
    verified_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(org, owner):
    return idea_challenge(org, owner)


def test_anyone_reads_the_ideas_sorted_three_ways(client, challenge):
    old = idea_for(challenge, title="Seaweed wrap")
    new = idea_for(challenge, title="Mushroom foam")
    for _ in range(2):
        idea_support(submission_id=old.pk, user=verified_user())
    url = reverse("challenge_detail", args=[challenge.pk])
    page = client.get(url).content.decode()
    assert page.index("Seaweed wrap") < page.index("Mushroom foam")
    assert "2 supporters" in page
    newest = client.get(url + "?sort=newest").content.decode()
    assert newest.index("Mushroom foam") < newest.index("Seaweed wrap")
    assert client.get(url + "?sort=trending").status_code == 200
    assert new.title in client.get(reverse("idea_detail", args=[new.pk])).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_list_costs_the_same_queries_for_more_ideas_and_supporters(client, challenge):
    url = reverse("challenge_detail", args=[challenge.pk])
    idea_for(challenge)
    client.force_login(verified_user())
    client.get(url)  # the session's first read
    few = _queries(client, url)
    for _ in range(5):
        idea = idea_for(challenge)
        for _ in range(3):
            idea_support(submission_id=idea.pk, user=verified_user())
    assert _queries(client, url) == few
    assert _queries(client, url + "?sort=trending") == few


def test_a_sealed_challenge_shows_no_ideas(client, org, owner):
    sealed = ChallengeFactory(organization=org, created_by=owner, state="open")
    entry = idea_for(sealed)
    assert client.get(reverse("idea_detail", args=[entry.pk])).status_code == 404
    assert (
        'id="ideas"'
        not in client.get(reverse("challenge_detail", args=[sealed.pk])).content.decode()
    )


def test_support_by_form_and_by_fetch(client, challenge):
    idea = idea_for(challenge)
    client.force_login(verified_user())
    url = reverse("idea_support", args=[idea.pk])
    answer = client.post(url, {"action": "support"}, HTTP_ACCEPT="application/json")
    assert answer.json() == {"count": 1, "supported": True}
    twice = client.post(url, {"action": "support"}, HTTP_ACCEPT="application/json")
    assert twice.status_code == 409 and "already" in twice.json()["error"]
    back = client.post(url, {"action": "withdraw"})
    assert back.status_code == 302
    assert Idea.objects.get(pk=idea.pk).supports == 0 and not Support.objects.exists()


def test_supporting_ones_own_idea_is_refused_on_the_page(client, challenge):
    idea = idea_for(challenge)
    client.force_login(idea.author)
    answer = client.post(
        reverse("idea_support", args=[idea.pk]),
        {"action": "support"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 403
    assert not Support.objects.exists()


def test_script_in_a_comment_is_rendered_inert(client, challenge):
    idea = idea_for(challenge)
    client.force_login(verified_user())
    client.post(
        reverse("idea_comment", args=[idea.pk]),
        {"body": "Nice <script>alert(1)</script> **idea** <img src=x onerror=alert(2)>"},
    )
    assert Comment.objects.count() == 1
    page = client.get(reverse("idea_detail", args=[idea.pk])).content.decode()
    assert "<strong>idea</strong>" in page
    assert "<script>alert(1)" not in page and "onerror" not in page


def test_an_over_long_comment_is_refused_with_a_message(client, challenge):
    idea = idea_for(challenge)
    client.force_login(verified_user())
    response = client.post(
        reverse("idea_comment", args=[idea.pk]), {"body": "x" * 5001}, follow=True
    )
    assert "At most 5000 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_report_reaches_the_staff_page_and_the_author_reads_why_it_was_hidden(
    client, challenge, staff
):
    idea = idea_for(challenge)
    client.force_login(UserFactory())
    client.post(reverse("idea_report", args=[idea.pk]), {"reason": "Copied from a paper"})
    assert Report.objects.get().reason == "Copied from a paper"
    client.force_login(staff)
    page = client.get(reverse("staff_ideas")).content.decode()
    assert "Copied from a paper" in page
    client.post(reverse("staff_idea_hide", args=[idea.pk]), {"reason": "Plagiarism"})
    assert Idea.objects.get(pk=idea.pk).hidden_reason == "Plagiarism"
    client.logout()
    assert client.get(reverse("idea_detail", args=[idea.pk])).status_code == 404
    client.force_login(idea.author)
    assert "Plagiarism" in client.get(reverse("idea_detail", args=[idea.pk])).content.decode()


def test_the_staff_page_lists_bursts_from_new_accounts_only(client, challenge, staff):
    idea = idea_for(challenge, title="Kelp film")
    for _ in range(3):
        idea_support(submission_id=idea.pk, user=verified_user())
    client.force_login(staff)
    page = client.get(reverse("staff_ideas")).content.decode()
    assert f'id="burst-{idea.pk}"' in page and "<td>3</td>" in page
    client.force_login(UserFactory())
    assert client.get(reverse("staff_ideas")).status_code == 404


def test_the_posting_page_shows_the_licence_first(client, challenge):
    author = verified_user()
    RegistrationFactory(challenge=challenge, user=author)
    client.force_login(author)
    page = client.get(reverse("solvers:submission_new", args=[challenge.pk])).content.decode()
    assert page.index("Creative Commons Attribution 4.0") < page.index("data-upload")


def test_hidden_ideas_cannot_be_supported_on_the_page(client, challenge, staff):
    idea = idea_for(challenge)
    idea_hide(submission_id=idea.pk, actor=staff, reason="Spam")
    client.force_login(verified_user())
    assert client.post(reverse("idea_support", args=[idea.pk])).status_code == 404


def test_the_challenge_page_lists_twenty_ideas_a_page(client, challenge):
    for n in range(21):
        idea_for(challenge, title=f"Idea number {n:02d}")
    url = reverse("challenge_detail", args=[challenge.pk])
    first = client.get(url + "?sort=newest").content.decode()
    assert "Idea number 20" in first and "Idea number 00" not in first
    assert "Page 1 of 2" in first
    second = client.get(url + "?sort=newest&page=2").content.decode()
    assert "Idea number 00" in second


def test_the_idea_page_reads_its_count_live(client, challenge):
    idea = idea_for(challenge)
    page = client.get(reverse("idea_detail", args=[idea.pk])).content.decode()
    assert f'data-live="/api/v1/ideas/{idea.pk}/"' in page


def test_the_author_edits_until_the_deadline_and_the_public_reads_the_latest(client, org, owner):
    challenge = idea_challenge(org, owner)
    author = verified_user()
    idea = idea_for(challenge, author, title="Film from algae")
    submission_update(
        submission_id=idea.pk, actor=author, title="Film from kelp", abstract="A.", body="B."
    )
    versions = SubmissionVersion.objects.filter(submission=idea).order_by("number")
    assert [(v.number, v.title) for v in versions] == [
        (1, "Film from algae"),
        (2, "Film from kelp"),
    ]
    page = client.get(reverse("idea_detail", args=[idea.pk])).content.decode()
    assert "Film from kelp" in page and "Film from algae" not in page
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(IllegalTransition):
        submission_update(
            submission_id=idea.pk, actor=author, title="Too late", abstract="A.", body="B."
        )
    assert SubmissionVersion.objects.filter(submission=idea).count() == 2
