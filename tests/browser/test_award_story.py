"""The award story in a real browser, each person logged in as themselves: the owner
funds and opens a challenge (drafted with factories); two solvers accept its agreement
and submit; after the deadline the owner assigns two judges, who score both entries in
the judging workspace; the owner awards 7,000.00 and 2,000.00 of a 3,000.00 award;
both winners accept, sign their deeds and file a W-9 and a W-8BEN, which verifies and so
releases each prize (paid at once by the local gateway's payout task: the owner has no
button to press and sees both paid); both certificates are
genuine at their public pages; the owner finishes choosing, the rest is refunded, the
challenge completes and its escrow statement adds up."""

import hashlib
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.challenges.models import Challenge, ChallengeState
from payouts.currency import format_money
from tests.browser.test_solver_submission import log_in
from tests.browser.walk import reauthenticate
from tests.story import (
    FEE,
    PARTIAL,
    PLANNED,
    POOL,
    REFUND,
    SCORES,
    cast,
    close_now,
    draft_for,
    w8ben,
    w9,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUIREMENTS = ("Degrades in sea water", "Costs under a cent per bag")


def money(amount: int) -> str:
    return format_money(amount, "USD", "en")


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".site-header")).to_contain_text("Log in")


def said(page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def entry_title(solver) -> str:
    return f"Algae film by {solver.full_name}"


def fund_and_open(page, url, people, challenge) -> None:
    log_in(page, url, people.owner)
    page.goto(url + reverse("seekers:challenge_manage", args=[challenge.pk]))
    page.get_by_role("button", name="Fund now").click()
    said(page, f"Payment of {money(POOL + FEE)} received.")
    page.get_by_role("button", name="Open", exact=True).click()
    said(page, f"“{challenge.title}” is now Open.")
    log_out(page)


def register_and_submit(page, url, solver, challenge) -> None:
    log_in(page, url, solver)
    page.goto(url + reverse("challenge_detail", args=[challenge.pk]))
    page.get_by_label("I have read and accept this agreement").check()
    page.get_by_role("button", name="Accept and register").click()
    said(page, "registered")
    page.get_by_role("link", name="Submit a solution").click()
    page.fill("#id_title", entry_title(solver))
    page.fill("#id_abstract", "A film cast from algae.")
    page.fill("#id_body", "## Method\nCast thin, dry at 40 °C.")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("h1")).to_contain_text(entry_title(solver))
    log_out(page)


def assign_judges_and_start(page, url, people, challenge) -> None:
    log_in(page, url, people.owner)
    manage = url + reverse("seekers:challenge_manage", args=[challenge.pk])
    page.goto(manage)
    page.get_by_role("link", name="Judges and judging").first.click()
    for judge in people.judges:
        page.select_option("#id_judge", label=f"{judge.full_name} <{judge.email}>")
        page.get_by_role("button", name="Assign").click()
        said(page, f"{judge.full_name} now judges this challenge.")
    page.goto(manage)
    page.get_by_role("button", name="Start judging").click()
    said(page, f"“{challenge.title}” is now Judging.")
    log_out(page)


def score_everything(page, url, people, challenge) -> None:
    workspace = url + reverse("seekers:judging", args=[challenge.pk])
    for judge, by_entry in zip(people.judges, SCORES, strict=True):
        log_in(page, url, judge)
        for solver, scores in zip(people.solvers, by_entry, strict=True):
            page.goto(workspace)
            page.get_by_role("link", name=entry_title(solver)).click()
            for requirement, score in zip(REQUIREMENTS, scores, strict=True):
                fieldset = page.locator("fieldset", has_text=requirement)
                fieldset.get_by_label("Score (0 to 10)").fill(str(score))
            page.get_by_role("button", name="Save and next entry").click()
            said(page, "Scores saved.")
        said(page, "You have scored every entry.")
        for solver in people.solvers:
            expect(page.locator("tr", has_text=entry_title(solver))).to_contain_text("2/2 scored")
        log_out(page)


def choose_winners(page, url, people, challenge) -> None:
    log_in(page, url, people.owner)
    page.goto(url + reverse("seekers:challenge_manage", args=[challenge.pk]))
    page.get_by_role("button", name="Start awarding").click()
    said(page, f"“{challenge.title}” is now Awarding.")
    page.goto(url + reverse("seekers:awards", args=[challenge.pk]))
    expect(page.locator("h1")).to_contain_text("Winners of")

    # The entries are offered best first: the winner of the 7,000.00 award.
    best = page.locator("#id_submission option").first
    expect(best).to_contain_text(entry_title(people.solvers[0]))
    expect(best).to_contain_text("total 85")
    page.select_option("#id_submission", index=0)
    expect(page.locator("#id_planned_award option").first).to_have_text(
        f"Award 1: {money(PLANNED[0])} (70% of the prize pool)"
    )
    page.select_option("#id_planned_award", index=0)
    page.get_by_role("button", name="Give the award").click()
    said(page, "Award given.")

    expect(page.locator("#id_submission option")).to_have_count(1)
    expect(page.locator("#id_planned_award option")).to_have_text(
        f"Award 2: {money(PLANNED[1])} (30% of the prize pool)"
    )
    page.fill("#id_amount", "2000.00")
    page.get_by_role("button", name="Give the award").click()
    said(page, "Award given.")
    expect(page.locator("dd", has_text=money(POOL - PLANNED[0] - PARTIAL)).first).to_be_visible()
    log_out(page)


def file_tax_form(page, solver, kind: str) -> None:
    data = {"w9": w9, "w8ben": w8ben}[kind](solver)
    link = {"w9": "W-9: I am a US person", "w8ben": "W-8BEN: I am not a US person"}[kind]
    page.get_by_role("link", name=re.compile(link)).click()
    reauthenticate(page, solver)  # opening the tax form asks for the password again
    page.fill("#id_legal_name", data["legal_name"])
    if kind == "w9":
        page.select_option("#id_tax_classification", data["tax_classification"])
        page.fill("#id_region", data["region"])
    else:
        page.select_option("#id_citizenship_country", data["citizenship_country"])
        page.fill("#id_date_of_birth", data["date_of_birth"])
    page.fill("#id_address_line", data["address_line"])
    page.fill("#id_city", data["city"])
    page.fill("#id_postal_code", data["postal_code"])
    page.select_option("#id_country", data["country"])
    page.select_option("#id_tin_kind", data["tin_kind"])
    page.fill("#id_tin", data["tin"])
    page.check("#id_certified")
    page.fill("#id_signature_name", data["signature_name"])
    page.get_by_role("button", name="Sign and file the form").click()


def claim(page, url, solver, challenge, kind: str, amount: int) -> None:
    log_in(page, url, solver)
    page.get_by_role("link", name=re.compile(r"^Notifications \(")).click()
    page.get_by_role("link", name=f"You won an award: {challenge.title}").click()
    expect(page.locator("h1")).to_contain_text("Your award for")
    expect(page.locator(".facts").first).to_contain_text(money(amount))
    page.get_by_role("button", name="Accept the award").click()
    said(page, "You accepted the award.")
    page.get_by_label("Type your full name to sign").fill(solver.full_name)
    page.get_by_role("button", name="Sign the deed").click()
    said(page, "You signed the deed.")
    expect(page.locator("#step-2")).to_contain_text("You signed the deed on")
    file_tax_form(page, solver, kind)
    said(page, "is on file, for the tax number")
    expect(page.locator("#step-4")).to_contain_text("Nothing needed: test money is paid instantly.")
    expect(page.locator("#step-5 summary")).to_contain_text("Paid on")
    log_out(page)


def both_paid_without_a_button(page, url, people, challenge) -> None:
    log_in(page, url, people.owner)
    page.goto(url + reverse("seekers:awards", args=[challenge.pk]))
    expect(page.locator(".award.state-paid")).to_have_count(2)
    expect(page.get_by_role("button", name=re.compile("Release"))).to_have_count(0)
    expect(page.get_by_role("button", name="End with no award")).to_have_count(0)
    log_out(page)


def certificate_is_genuine(page, url, solver, challenge) -> None:
    """The winner follows the certificate notification to the public page; the SHA-256
    it shows is that of the PDF it offers."""
    log_in(page, url, solver)
    page.get_by_role("link", name=re.compile(r"^Notifications \(")).click()
    page.get_by_role("link", name=f"Your certificate: {challenge.title}").click()
    expect(page.locator(".verdict")).to_contain_text("Genuine")
    expect(page.locator(".facts")).to_contain_text(solver.full_name)
    shown = page.locator(".facts dd.hash").inner_text().strip()
    pdf_url = page.get_by_role("link", name="Download the PDF (English)").get_attribute("href")
    pdf = page.request.get(url + pdf_url)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.body()).hexdigest() == shown
    log_out(page)


def finish_and_check_the_statement(page, url, people, challenge) -> None:
    log_in(page, url, people.owner)
    page.goto(url + reverse("seekers:awards", args=[challenge.pk]))
    page.get_by_role("button", name="Finish selection").click()
    said(page, "Winner selection finished: the challenge is complete.")
    page.get_by_role("link", name="Escrow statement").click()
    expect(page.locator("h1")).to_have_text("Escrow statement")
    figures = {}
    for row in page.locator("#figures tr").all():
        cells = row.locator("td")
        figures[cells.nth(0).locator("strong").inner_text()] = cells.nth(1).inner_text()
    assert figures == {
        "Received": money(POOL + FEE),
        "Platform fee": money(FEE),
        "Held in escrow": money(0),
        "Owed to winners": money(0),
        "Paid to winners": money(PLANNED[0] + PARTIAL),
        "Refunded": money(REFUND),
        "Unallocated": money(0),
    }
    expect(page.locator("#identity")).to_contain_text("The figures add up")
    expect(page.locator("#refunds")).to_contain_text(money(REFUND))
    log_out(page)


def test_the_award_story_in_the_browser(live_server, page):
    url = live_server.url
    people = cast()
    challenge = draft_for(people, state=ChallengeState.AWAITING_FUNDING)

    fund_and_open(page, url, people, challenge)
    for solver in people.solvers:
        register_and_submit(page, url, solver, challenge)
    # The deadline passes: see tests.story.close_now for why it is moved in the database.
    assert close_now(challenge) == 1
    assign_judges_and_start(page, url, people, challenge)
    score_everything(page, url, people, challenge)
    choose_winners(page, url, people, challenge)
    for solver, kind, amount in zip(
        people.solvers, ("w9", "w8ben"), (PLANNED[0], PARTIAL), strict=True
    ):
        claim(page, url, solver, challenge, kind, amount)
    both_paid_without_a_button(page, url, people, challenge)
    for solver in people.solvers:
        certificate_is_genuine(page, url, solver, challenge)
    finish_and_check_the_statement(page, url, people, challenge)
    assert Challenge.objects.get(pk=challenge.pk).state == ChallengeState.COMPLETED
