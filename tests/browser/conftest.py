"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.
Never downloads a browser: without `chromium` on the PATH the tests skip (and fail in CI).

Every page of the `page` and `reader` fixtures runs under the site's
Content-Security-Policy and is watched: a `securitypolicyviolation` event or a console
message about the policy fails the test when it ends."""

import shutil

import pytest
from django.test.utils import override_settings

from tests.conftest import skip_unless

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url(request):
    """The site has no public media URL (MEDIA_URL = None: private files are only served
    by views), but Django's live server builds a media handler from MEDIA_URL when it
    starts and fails on None. Start the (session-wide) server with a path no page uses,
    then put the setting back for every other test."""
    with override_settings(MEDIA_URL="/live-server-media-unused/"):
        request.getfixturevalue("live_server")


@pytest.fixture
def browser(monkeypatch):
    executable = shutil.which("chromium")
    skip_unless(executable is not None, "chromium not installed", service="browser")
    # Playwright's sync API runs an event loop in the test thread, and the test still
    # talks to the database there (factories, mail outbox), which Django otherwise
    # refuses. Set only while a browser test runs: subprocesses of other tests (the
    # deploy check) must not inherit it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context, violations = watched_context(
        browser, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_watched(context, violations)


# Runs before any script of every document (not subject to the page's policy) and
# hands each violation to the test through a binding.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportCspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${e.documentURI}` +
      ` (${e.sourceFile}:${e.lineNumber}) ${e.sample}`
  );
}, true);
"""


def watched_context(browser, **options):
    """A browser context whose pages report every CSP violation, and the list of them."""
    context = browser.new_context(**options)
    violations: list[str] = []
    context.expose_binding("reportCspViolation", lambda source, text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    context.on("console", on_console)
    return context, violations


def close_watched(context, violations: list[str]) -> None:
    context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


LOCALES = {"en": "en-GB", "es": "es-ES"}


@pytest.fixture(params=sorted(LOCALES))
def language(request):
    return request.param


@pytest.fixture
def reader(browser, language):
    """A page whose browser asks for `language` first (its Accept-Language)."""
    context, violations = watched_context(
        browser, locale=LOCALES[language], viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_watched(context, violations)
