"""The whole Seeker story in a real browser: sign up, verify the e-mail address, found
an organisation, write a challenge in the editor, submit it for review, and find it in
the staff review queue."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from tests.browser.walk import second_factor
from tests.factories import PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Self-cleaning solar glass"


def local(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def sign_up_and_verify(page, url: str, email: str) -> None:
    page.goto(url + reverse("account_signup"))
    page.fill('input[name="full_name"]', "Grace Hopper")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password1"]', PASSWORD)
    page.fill('input[name="password2"]', PASSWORD)
    page.check('input[name="terms"]')
    page.locator("main form").get_by_role("button", name="Sign Up").click()
    expect(page.locator("main")).to_contain_text("Verify Your Email Address")
    [message] = [m for m in mail.outbox if m.to == [email]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.locator("main form").get_by_role("button", name="Confirm").click()
    expect(page.locator(".site-header")).to_contain_text(email)


def write_challenge(page, shots) -> None:
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Glass for solar panels that sheds dust without water.")
    page.fill("#id_brief", "## Background\nPanels in deserts lose **25 %** of output to dust.")
    page.select_option("#id_kind", "rtp")
    page.select_option("#id_ip_model", "licence")
    page.select_option("#id_currency", "EUR")
    page.fill("#id_prize_pool", "40000.00")
    page.fill("#id_submission_deadline", local(45))
    page.fill("#id_judging_deadline", local(75))
    page.fill("#id_req-0-title", "Keeps 95 % transmittance after a dust storm")
    page.fill("#id_req-0-weight", "60")
    page.fill("#id_req-1-title", "Costs under 2 EUR per square metre")
    page.fill("#id_req-1-weight", "40")
    page.fill("#id_award-0-amount", "40000.00")
    page.get_by_role("button", name="Add a requirement").click()
    expect(page.locator("#id_req-3-title")).to_be_visible()
    page.screenshot(path=shots / "editor.png", full_page=True)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_contain_text(TITLE)


def test_seeker_flow_to_the_staff_review_queue(live_server, page, tmp_path):
    url = live_server.url
    sign_up_and_verify(page, url, "ada@helio.example")

    page.goto(url + reverse("seekers:dashboard"))
    page.get_by_role("link", name="Create an organisation").click()
    page.fill("#id_name", "Helio Labs")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.locator(".messages")).to_contain_text("You are its owner.")

    page.get_by_role("link", name="New challenge").click()
    write_challenge(page, tmp_path)
    challenge = Challenge.objects.get(title=TITLE)
    assert (challenge.prize_pool, challenge.currency) == (4_000_000, "EUR")
    assert list(challenge.requirements.values_list("weight", flat=True)) == [60, 40]

    page.goto(url + reverse("seekers:dashboard"))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messages")).to_contain_text(f"“{TITLE}” is now In review.")
    assert Challenge.objects.get(pk=challenge.pk).state == S.IN_REVIEW

    page.get_by_role("button", name="Log out").click()
    staff = StaffFactory()
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    page.goto(url + reverse("account_login"))
    page.fill('input[name="login"]', staff.email)
    page.fill('input[name="password"]', PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign In").click()
    second_factor(page, staff)
    expect(page.locator(".site-header")).to_contain_text(staff.email)

    page.locator(".site-header details.staff summary").click()  # the staff menu
    page.get_by_role("link", name="Review queue").click()
    expect(page.locator("main")).to_contain_text(TITLE)
    expect(page.locator("main")).to_contain_text("Helio Labs")
    page.screenshot(path=tmp_path / "queue.png", full_page=True)
