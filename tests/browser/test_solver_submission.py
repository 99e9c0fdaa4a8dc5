"""A solver's story in a real browser: log in, accept an open challenge's agreement,
submit a solution with a 5 MB file while the progress bar moves, and read the receipt
with its SHA-256 values. A second solver who guesses the submission's address gets 404."""

import hashlib
import os

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.submissions.models import Submission
from tests.browser.walk import second_factor
from tests.factories import PASSWORD, ChallengeFactory, RegistrationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Hydrophobic nano-coating"
# The upload is slowed down (in the browser, through the DevTools protocol) so that the
# progress bar has time to show values between 0 and 100 %.
UPLOAD_BYTES_PER_SECOND = 2 * 1024 * 1024


def verified_solver(name: str):
    user = UserFactory(full_name=name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(page, url: str, user) -> None:
    page.goto(url + reverse("account_login"))
    page.fill('input[name="login"]', user.email)
    page.fill('input[name="password"]', PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign In").click()
    second_factor(page, user)
    expect(page.locator(".site-header")).to_contain_text(user.email)


def throttle_uploads(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": UPLOAD_BYTES_PER_SECOND,
        },
    )


def test_solver_submits_with_a_progress_bar_and_gets_a_receipt(live_server, page, tmp_path):
    url = live_server.url
    challenge = ChallengeFactory(state="open", title="Self-cleaning solar glass")
    solver = verified_solver("Ada Solver")
    log_in(page, url, solver)

    page.goto(url + reverse("challenge_detail", args=[challenge.pk]))
    page.get_by_label("I have read and accept this agreement").check()
    page.get_by_role("button", name="Accept and register").click()
    expect(page.locator(".messages")).to_contain_text("registered")

    page.get_by_role("link", name="Submit a solution").click()
    page.fill("#id_title", TITLE)
    page.fill("#id_abstract", "A coating that sheds dust in the wind.")
    page.fill("#id_body", "## Method\nSpray **twice**, cure at 80 °C.")
    content = b"%PDF-1.7\n" + os.urandom(5 * 1024 * 1024)
    attachment = tmp_path / "method.pdf"
    attachment.write_bytes(content)
    page.set_input_files("#id_files", str(attachment))
    page.screenshot(path=tmp_path / "form.png", full_page=True)

    throttle_uploads(page)
    page.get_by_role("button", name="Submit", exact=True).click()
    progress = page.locator("form[data-upload] progress")
    expect(progress).to_be_visible()
    page.wait_for_function(
        "() => { const p = document.querySelector('form[data-upload] progress');"
        " return p && p.value > 0 && p.value < 100; }"
    )
    moving = progress.evaluate("p => p.value")
    page.screenshot(path=tmp_path / "uploading.png", full_page=True)
    assert 0 < moving < 100

    expect(page.locator("h1")).to_contain_text(TITLE, timeout=30_000)
    submission = Submission.objects.get(title=TITLE)
    stored = submission.files.get()
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    receipts = page.locator("#receipts")
    expect(receipts).to_contain_text("Version 1")
    expect(receipts).to_contain_text(submission.sha256)
    expect(receipts).to_contain_text(stored.sha256)
    expect(page.locator(".messages")).to_contain_text("Your submission was received")
    page.screenshot(path=tmp_path / "receipt.png", full_page=True)

    page.get_by_role("button", name="Log out").click()
    log_in(page, url, verified_solver("Ben Guesser"))
    detail = page.goto(url + reverse("solvers:submission_detail", args=[submission.pk]))
    assert detail.status == 404
    download = page.request.get(
        url + reverse("submission_file_download", args=[submission.pk, stored.pk])
    )
    assert download.status == 404
    assert TITLE not in page.content()


def test_refusals_show_next_to_the_fields_and_keep_what_was_typed(
    live_server, page, tmp_path, settings
):
    settings.SUBMISSION_MAX_FILE_BYTES = 1024 * 1024
    challenge = ChallengeFactory(state="open")
    solver = verified_solver("Cy Solver")
    RegistrationFactory(challenge=challenge, user=solver)
    log_in(page, live_server.url, solver)
    page.goto(live_server.url + reverse("solvers:submission_new", args=[challenge.pk]))

    # The server's refusal, answered as JSON to the script: shown next to the field.
    page.fill("#id_abstract", "Typed before the refusal.")
    page.fill("#id_body", "Some **body**.")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator('[data-field="title"] .errorlist')).to_have_text(
        "Give your submission a title."
    )
    expect(page.locator("#id_abstract")).to_have_value("Typed before the refusal.")

    # A file over the limit is refused before anything is sent.
    page.fill("#id_title", "Too big")
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"x" * (2 * 1024 * 1024))
    page.set_input_files("#id_files", str(big))
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator('[data-field="files"] .errorlist')).to_contain_text(
        "“big.pdf” is larger than 1.0"
    )
    expect(page.locator('[data-field="title"] .errorlist')).to_have_count(0)
    assert not Submission.objects.exists()
