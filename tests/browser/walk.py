"""Steps every walk takes the same way in any language: forms are found by their
fields and actions, never by their words."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.factories import PASSWORD, totp_code


def visit(page, url: str, language: str, *, shot: str = "") -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    check_page(page, language, shot=shot)


def submit(page, action: str) -> None:
    """Press the button of the form that posts to `action`."""
    page.locator(f'form[action="{action}"] button').first.click()


def log_in(page, url: str, user, language: str) -> None:
    visit(page, url + reverse("account_login"), language)
    page.fill('input[name="login"]', user.email)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    second_factor(page, user)
    expect(page.locator(".site-header")).to_contain_text(user.email)


def second_factor(page, user) -> None:
    """Staff have an authenticator app: after the password the log-in asks for its code."""
    if user.is_staff:
        page.fill('input[name="code"]', totp_code())
        page.locator('main form button[type="submit"]').first.click()


def reauthenticate(page, user) -> None:
    """Answer "confirm it is you" before a sensitive change: the password, or for staff
    (two factors) the app's code."""
    page.fill(
        'input[name="code"]' if user.is_staff else 'input[name="password"]',
        totp_code() if user.is_staff else PASSWORD,
    )
    page.locator('main form button[type="submit"]').first.click()


def log_out(page) -> None:
    submit(page, reverse("account_logout"))
    expect(page.locator(".site-header a[href*='/accounts/login/']")).to_be_visible()
