"""Staff log in with the password and then the authenticator app's code in Chromium,
and reach the staff pages; a wrong code keeps them out."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD, StaffFactory, totp_code
from tests.story import verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG_SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"


def test_staff_log_in_with_password_and_the_apps_code(live_server, page):
    url = live_server.url
    staff = verified(StaffFactory(full_name="Sam Staff"))
    page.goto(url + reverse("account_login"))
    page.fill('input[name="login"]', staff.email)
    page.fill('input[name="password"]', PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(url + reverse("mfa_authenticate"))
    expect(page.locator(".site-header")).not_to_contain_text(staff.email)
    page.fill('input[name="code"]', totp_code(WRONG_SECRET))
    page.locator("main form").get_by_role("button", name="Sign In").click()
    expect(page.locator("main")).to_contain_text("Incorrect code")
    expect(page.locator(".site-header")).not_to_contain_text(staff.email)

    page.fill('input[name="code"]', totp_code())
    page.locator("main form").get_by_role("button", name="Sign In").click()
    expect(page.locator(".site-header")).to_contain_text(staff.email)
    page.goto(url + reverse("staff_review_queue"))
    expect(page.locator("h1")).to_be_visible()
    expect(page).to_have_url(url + reverse("staff_review_queue"))
    page.locator(".site-header summary.who").click()  # the account menu
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.locator("main")).to_contain_text("Authenticator App")
