"""Layout in a real browser: the catalogue's filter boxes never overlap, at desktop and
phone widths, and its date input is styled like the other inputs; headings a user
writes in a brief stay smaller than the page's own; the language switcher works with
JavaScript turned off."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.challenges.models import ChallengeState
from tests.browser.checks import boxes, overlapping
from tests.browser.test_solver_submission import log_in, verified_solver
from tests.factories import ChallengeFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_catalogue_filters_do_not_overlap(page, live_server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + reverse("catalogue"))
    expect(page.get_by_text("Reduction to practice")).to_be_visible()

    found = boxes(page, "main form[role=search]", "label, input, select, legend, button")

    assert len(found) > 20
    assert overlapping(found) == []


def test_date_input_looks_like_the_other_inputs(page, live_server):
    page.goto(live_server.url + reverse("catalogue"))
    style = (
        "el => ['border', 'borderRadius', 'padding', 'width'].map((k) => getComputedStyle(el)[k])"
    )
    date = page.locator("input[name=deadline_before]").evaluate(style)
    number = page.locator("input[name=prize_min]").evaluate(style)

    assert date == number


def test_brief_headings_are_smaller_than_the_page_heading(page, live_server):
    challenge = ChallengeFactory(
        state=ChallengeState.OPEN, brief="# Background\n\nWe need a **film**."
    )
    member = verified_solver("Ada Brief")
    MembershipFactory(organization=challenge.organization, user=member)
    log_in(page, live_server.url, member)

    page.goto(live_server.url + reverse("challenge_detail", args=[challenge.pk]))
    brief_heading = page.locator(".markdown h1", has_text="Background")
    expect(brief_heading).to_be_visible()

    def font_size(locator) -> float:
        return float(locator.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))

    page_heading = page.locator("main h1", has_text=challenge.title)
    section_heading = page.locator("main h2", has_text="Full brief")
    assert font_size(brief_heading) < font_size(section_heading) < font_size(page_heading)


def test_language_switcher_works_without_javascript(browser, live_server):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("catalogue"))
    expect(page.locator("main h1")).to_have_text("Challenges")

    switcher = page.locator(".site-header form.lang")
    switcher.get_by_label("Language").select_option("es")
    switcher.get_by_role("button", name="Go").click()

    expect(page.locator("main h1")).to_have_text("Desafíos")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    context.close()
