"""A Seeker's part of the story, in English and in Spanish: the dashboard, the
organisation, a challenge form sent with errors, review, funding and opening, the form
to close early, the entries, assigning judges and inviting one from outside, a judge
scoring, the scoreboard, giving an award and the escrow statement. Every page is
checked for accessibility and, in Spanish, for English left on it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.judging.services import evaluation_save
from marketplace.lifecycle.services import challenge_transition
from marketplace.participation.services import challenge_register
from tests.browser.checks import check_page
from tests.browser.walk import log_in, log_out, submit, visit
from tests.factories import agreement_hash, submission_for
from tests.story import SCORES, cast, close_now, draft_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def transition(page, challenge, name: str) -> None:
    submit(page, reverse("seekers:challenge_transition", args=[challenge.pk, name]))
    expect(page.locator(".messages .success")).to_be_visible()


def prepare(page, url, language, people) -> None:
    org = people.org
    visit(page, url + reverse("seekers:dashboard"), language)
    visit(page, url + reverse("seekers:organization_members", args=[org.pk]), language)
    visit(page, url + reverse("seekers:challenge_create", args=[org.pk]), language)
    form = page.locator("form:has(#id_title)")
    form.evaluate("form => { form.noValidate = true; }")  # the server's errors, not the browser's
    page.fill("#id_prize_pool", "12,5x")
    form.locator("button:not([type=button])").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    check_page(page, language)


def submit_for_review(page, url, language, challenge) -> None:
    manage = url + reverse("seekers:challenge_manage", args=[challenge.pk])
    visit(page, manage, language)
    visit(page, url + reverse("seekers:challenge_edit", args=[challenge.pk]), language)
    visit(page, manage, language)
    transition(page, challenge, "submit")
    check_page(page, language)


def enter_both(people) -> None:
    challenge = people.challenge
    for solver in people.solvers:
        challenge_register(
            challenge_id=challenge.pk, user=solver, accepted_sha256=agreement_hash(challenge)
        )
    people.submissions = [
        submission_for(challenge, solver, title=f"Algae film by {solver.full_name}")
        for solver in people.solvers
    ]


def judge(page, url, language, people) -> None:
    challenge = people.challenge
    visit(page, url + reverse("seekers:submissions", args=[challenge.pk]), language)
    first = people.submissions[0]
    detail = reverse("seekers:submission_detail", args=[challenge.pk, first.pk])
    visit(page, url + detail, language)
    visit(page, url + reverse("seekers:judges", args=[challenge.pk]), language)
    for person in people.judges:
        page.select_option("#id_judge", value=str(person.pk))
        submit(page, reverse("seekers:judges", args=[challenge.pk]))
        expect(page.locator(".messages .success")).to_be_visible()
    check_page(page, language)
    invite = reverse("seekers:judge_invite", args=[challenge.pk])
    page.locator(f'form[action="{invite}"] input[name=email]').fill("outside.judge@example.org")
    submit(page, invite)
    expect(page.locator("main")).to_contain_text("outside.judge@example.org")
    check_page(page, language)
    visit(page, url + reverse("seekers:challenge_manage", args=[challenge.pk]), language)
    transition(page, challenge, "start_judging")
    log_out(page)

    scorer = people.judges[0]
    log_in(page, url, scorer, language)
    visit(page, url + reverse("seekers:judging", args=[challenge.pk]), language)
    entry = reverse("seekers:judging_entry", args=[challenge.pk, first.pk])
    visit(page, url + entry, language)
    for requirement, score in zip(people.requirements, SCORES[0][0], strict=True):
        page.fill(f"#id_score_{requirement.pk}", str(score))
    submit(page, entry)
    expect(page.locator(".messages .success")).to_be_visible()
    check_page(page, language)
    log_out(page)
    for person, by_entry in zip(people.judges, SCORES, strict=True):
        for submission, scores in zip(people.submissions, by_entry, strict=True):
            evaluation_save(
                submission_id=submission.pk,
                judge=person,
                scores={
                    r.pk: {"score": s, "note": ""}
                    for r, s in zip(people.requirements, scores, strict=True)
                },
            )


def award(page, url, language, people) -> None:
    challenge = people.challenge
    log_in(page, url, people.owner, language)
    visit(page, url + reverse("seekers:scores", args=[challenge.pk]), language)
    visit(page, url + reverse("seekers:challenge_manage", args=[challenge.pk]), language)
    transition(page, challenge, "start_awarding")
    awards = reverse("seekers:awards", args=[challenge.pk])
    visit(page, url + awards, language)
    page.select_option("#id_submission", index=0)
    page.select_option("#id_planned_award", index=0)
    submit(page, awards)
    expect(page.locator(".messages .success")).to_be_visible()
    check_page(page, language)
    visit(page, url + reverse("escrow_statement", args=[challenge.pk]), language)
    visit(page, url + reverse("notifications"), language)


def test_a_seeker_walks_the_story(reader, live_server, language):
    page, url = reader, live_server.url
    people = cast()
    challenge = draft_for(people)

    log_in(page, url, people.owner, language)
    prepare(page, url, language, people)
    submit_for_review(page, url, language, challenge)
    challenge_transition(challenge_id=challenge.pk, name="approve", actor=people.staff)
    manage = url + reverse("seekers:challenge_manage", args=[challenge.pk])
    visit(page, manage, language)
    submit(page, reverse("seekers:challenge_fund", args=[challenge.pk]))
    expect(page.locator(".messages .success")).to_be_visible()
    check_page(page, language)
    transition(page, challenge, "open")
    check_page(page, language)

    enter_both(people)
    visit(page, url + reverse("seekers:challenge_close_early", args=[challenge.pk]), language)
    close_now(people.refresh())
    judge(page, url, language, people)
    award(page, url, language, people)
