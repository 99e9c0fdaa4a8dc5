"""A solver's part of the story, in English and in Spanish: the catalogue, a challenge,
its agreement, an entry, then (judged and awarded through the services) the award page,
the deed, the tax form and the certificate. Every page is checked for accessibility
and, in Spanish, for English left on it; the catalogue also for overlapping elements at
desktop and phone widths."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from legal.models import Certificate
from marketplace.lifecycle.services import challenge_transition
from marketplace.participation.services import challenge_register
from marketplace.submissions.models import Submission
from tests.browser.checks import boxes, check_page, overlapping
from tests.browser.walk import log_in, reauthenticate, submit, visit
from tests.factories import agreement_hash, submission_for
from tests.story import cast, draft_for, judged, propose_both, w9

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_challenge():
    """An open challenge in which the second solver has entered; the first walks."""
    people = cast()
    challenge = draft_for(people, state="awaiting_funding", funded=True)
    challenge_transition(challenge_id=challenge.pk, name="open", actor=people.owner)
    other = people.solvers[1]
    challenge_register(
        challenge_id=challenge.pk, user=other, accepted_sha256=agreement_hash(challenge)
    )
    people.submissions = [submission_for(challenge, other, title="Film from kelp")]
    people.refresh()
    return people


def browse(page, url, language, challenge) -> None:
    visit(page, url + reverse("home"), language)
    visit(page, url + reverse("catalogue"), language, shot="catalogue")
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert overlapping(boxes(page, "main")) == [], width
    page.set_viewport_size({"width": 1280, "height": 900})
    visit(page, url + reverse("challenge_detail", args=[challenge.pk]), language, shot="challenge")


def enter(page, url, language, challenge, solver) -> Submission:
    log_in(page, url, solver, language)
    visit(page, url + reverse("challenge_detail", args=[challenge.pk]), language, shot="agreement")
    page.check("#accept-agreement")
    submit(page, reverse("challenge_register", args=[challenge.pk]))
    expect(page.locator(".messages .success")).to_be_visible()
    visit(page, url + reverse("agreement_accepted", args=[challenge.pk]), language)
    visit(page, url + reverse("solvers:submission_new", args=[challenge.pk]), language)
    page.fill("#id_title", "Film from algae")
    page.fill("#id_abstract", "A film cast from algae.")
    page.fill("#id_body", "## Method\nCast thin, dry at 40 °C.")
    page.locator("form:has(#id_body) button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Film from algae")
    entry = Submission.objects.get(challenge=challenge, author=solver)
    visit(page, url + reverse("solvers:submission_detail", args=[entry.pk]), language)
    for name in ("solvers:my_submissions", "solvers:my_challenges", "notifications"):
        visit(page, url + reverse(name), language)
    visit(page, url + reverse("solvers:profile_edit"), language)
    return entry


def claim(page, url, language, award, solver) -> None:
    detail = url + reverse("solvers:award_detail", args=[award.pk])
    visit(page, detail, language, shot="award")
    submit(page, reverse("solvers:award_accept", args=[award.pk]))
    expect(page.locator("input[name=signature]")).to_be_visible()
    check_page(page, language, shot="deed-preview")
    page.fill("input[name=signature]", solver.full_name)
    submit(page, reverse("solvers:award_sign", args=[award.pk]))
    expect(page.locator(".messages .success")).to_be_visible()
    page.goto(detail + "?kind=w9#step-3")
    reauthenticate(page, solver)  # opening the tax form asks for the password again
    expect(page.locator("#id_tin")).to_be_visible()
    check_page(page, language)
    data = w9(solver)
    page.fill("#id_legal_name", data["legal_name"])
    page.select_option("#id_tax_classification", data["tax_classification"])
    for field in ("region", "address_line", "city", "postal_code", "tin", "signature_name"):
        page.fill(f"#id_{field}", data[field])
    page.select_option("#id_country", data["country"])
    page.select_option("#id_tin_kind", data["tin_kind"])
    page.check("#id_certified")
    page.locator("form:has(#id_tin) button").first.click()
    expect(page.locator(".messages .success")).to_be_visible()
    visit(page, detail, language)
    visit(page, url + reverse("solvers:awards"), language)


def test_a_solver_walks_the_story(reader, live_server, language):
    page, url = reader, live_server.url
    people = open_challenge()
    solver = people.solvers[0]

    browse(page, url, language, people.challenge)
    entry = enter(page, url, language, people.challenge, solver)
    people.submissions = [entry, *people.submissions]
    judged(people)
    award = propose_both(people)[0]
    claim(page, url, language, award, solver)

    certificate = Certificate.objects.get(reference=f"award:{award.pk}")
    visit(page, url + reverse("certificate_verify", args=[certificate.uuid]), language)
