"""Open ideation in a real browser: a solver posts an idea (the licence shown first),
nine supporters (factories) and a tenth through the page's Support button (the count
changes without a reload) push it over the challenge's threshold of 10; the owner is
notified, follows the notice to the idea, awards it after the deadline; the winner
claims and is paid, the owner finishes, and the public results page shows the idea's
author."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.ideation.models import Idea
from marketplace.ideation.services import idea_support
from marketplace.lifecycle.services import challenge_transition
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.submissions.models import Submission
from tests.browser.test_award_story import log_out, said
from tests.browser.test_solver_submission import log_in
from tests.factories import RegistrationFactory, verified_user
from tests.story import cast, claim, close_now, draft_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Refill stations with a deposit token"


def post_idea(page, url, author, challenge) -> Submission:
    log_in(page, url, author)
    page.goto(url + reverse("challenge_detail", args=[challenge.pk]))
    page.get_by_role("link", name="Post an idea").click()
    expect(page.locator("#licence")).to_contain_text("Creative Commons Attribution 4.0")
    page.fill("#id_title", TITLE)
    page.fill("#id_abstract", "A token that carries the deposit from shop to shop.")
    page.fill("#id_body", "## How\nA **token** per container.")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("h1")).to_contain_text(TITLE)
    log_out(page)
    return Submission.objects.get(title=TITLE)


def tenth_support_through_the_page(page, url, fan, challenge) -> None:
    log_in(page, url, fan)
    page.goto(url + reverse("challenge_detail", args=[challenge.pk]))
    idea = page.locator("#ideas li.idea", has_text=TITLE)
    expect(idea.locator("[data-support-count]")).to_have_text("9 supporters")
    idea.get_by_role("button", name="Support", exact=True).click()
    expect(idea.locator("[data-support-count]")).to_have_text("10 supporters")
    expect(idea.get_by_role("button", name="Withdraw support")).to_be_visible()
    log_out(page)


def owner_follows_the_notice(page, url, owner) -> None:
    log_in(page, url, owner)
    page.goto(url + reverse("notifications"))
    page.get_by_role("link", name="An idea reached 10 supporters").first.click()
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator("article")).to_contain_text("Reached the support threshold")
    log_out(page)


def owner_awards_it(page, url, owner, challenge) -> None:
    log_in(page, url, owner)
    page.goto(url + reverse("seekers:awards", args=[challenge.pk]))
    page.select_option("#id_submission", index=0)
    expect(page.locator("#id_submission option").first).to_contain_text(TITLE)
    page.select_option("#id_planned_award", index=0)
    page.get_by_role("button", name="Give the award").click()
    said(page, "Award given.")
    log_out(page)


def owner_finishes(page, url, owner, challenge) -> None:
    log_in(page, url, owner)
    page.goto(url + reverse("seekers:awards", args=[challenge.pk]))
    page.get_by_role("button", name="Finish selection").click()
    said(page, "Winner selection finished")
    log_out(page)


def test_an_idea_crosses_its_threshold_is_awarded_and_shown_in_the_results(live_server, page):
    url = live_server.url
    people = cast()
    challenge = draft_for(
        people,
        state=ChallengeState.AWAITING_FUNDING,
        funded=True,
        open_ideation=True,
        support_threshold=10,
    )
    challenge_transition(challenge_id=challenge.pk, name="open", actor=people.owner)
    author, fan = people.solvers
    RegistrationFactory(challenge=challenge, user=author)

    idea = post_idea(page, url, author, challenge)
    for _ in range(9):
        idea_support(submission_id=idea.pk, user=verified_user())
    assert not Notification.objects.filter(kind=NotificationKind.IDEA_THRESHOLD_REACHED).exists()
    tenth_support_through_the_page(page, url, fan, challenge)
    assert Idea.objects.get(pk=idea.pk).threshold_reached_at is not None
    owner_follows_the_notice(page, url, people.owner)

    # The deadline passes: see tests.story.close_now for why it is moved in the database.
    assert close_now(challenge) == 1
    for step in ("start_judging", "start_awarding"):
        challenge_transition(challenge_id=challenge.pk, name=step, actor=people.owner)
    owner_awards_it(page, url, people.owner, challenge)
    claim(idea.awards.get(), author)
    owner_finishes(page, url, people.owner, challenge)
    assert Challenge.objects.get(pk=challenge.pk).state == ChallengeState.COMPLETED

    page.goto(url + reverse("challenge_results", args=[challenge.pk]))
    expect(page.locator("main")).to_contain_text(author.full_name)
