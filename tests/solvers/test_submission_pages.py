"""A solver's submission pages: submit (plain form and the XMLHttpRequest protocol of
upload.js), my submissions, the receipts, edit, withdraw; and every bad input of the
issue refused on the page with what was typed kept."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.submissions.models import Submission
from tests.conftest import assert_shown_as_receipt_code, submission_rows
from tests.factories import ELF_BYTES, PDF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db

TEXT = {"title": "Chitosan membrane", "abstract": "Cheap and strong.", "body": "# How\nMix **it**."}
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def new_url(challenge) -> str:
    return reverse("solvers:submission_new", args=[challenge.pk])


def logged_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


class TestSubmit:
    def test_the_form_has_a_progress_bar_and_the_team_choice_for_captains(self, client, entrants):
        e = entrants
        page = logged_in(client, e.captain).get(new_url(e.challenge)).content.decode()
        assert 'enctype="multipart/form-data"' in page and "data-upload" in page
        assert "<progress" in page and "js/upload.js" in page
        assert 'name="team"' in page and ">Tide</option>" in page
        # Text first, files last (an upload stopped for its size keeps the text).
        assert page.index('name="body"') < page.index('name="team"') < page.index('name="files"')
        assert (
            'name="team"'
            not in logged_in(client, e.registered).get(new_url(e.challenge)).content.decode()
        )

    def test_submitting_shows_the_receipt(
        self, client, entrants, mailoutbox, django_capture_on_commit_callbacks
    ):
        e = entrants
        with django_capture_on_commit_callbacks(execute=True):
            response = logged_in(client, e.registered).post(
                new_url(e.challenge), {**TEXT, "files": [pdf_upload("plan.pdf")]}, follow=True
            )
        submission = Submission.objects.get(author=e.registered)
        assert response.redirect_chain == [
            (reverse("solvers:submission_detail", args=[submission.pk]), 302)
        ]
        page = response.content.decode()
        assert "Your submission was received" in " ".join(messages_of(response))
        assert submission.sha256 in page
        assert hashlib.sha256(PDF_BYTES).hexdigest() in page
        assert "<h1>How</h1>" in page and "<strong>it</strong>" in page
        assert "Version 1" in page and "plan.pdf" in page
        [mail] = mailoutbox
        assert submission.sha256 in mail.body

    def test_xhr_gets_json_redirect_or_errors(self, client, entrants):
        e = entrants
        client = logged_in(client, e.registered)
        response = client.post(new_url(e.challenge), {**TEXT, "title": ""}, **XHR)
        assert response.status_code == 400
        assert response.json() == {"errors": {"title": ["Give your submission a title."]}}
        response = client.post(new_url(e.challenge), TEXT, **XHR)
        submission = Submission.objects.get(author=e.registered)
        assert response.json() == {"redirect": f"/solver/submissions/{submission.pk}/"}

    def test_captain_submits_for_the_team(self, client, entrants):
        e = entrants
        logged_in(client, e.captain).post(new_url(e.challenge), {**TEXT, "team": e.team.pk})
        submission = Submission.objects.get(title=TEXT["title"])
        assert submission.team == e.team
        page = logged_in(client, e.member).get(reverse("solvers:my_submissions")).content.decode()
        assert TEXT["title"] in page and "Tide" in page


class TestBadInputOnThePage:
    """Refused with a readable error next to the field or on the form; nothing written;
    what was typed is shown again."""

    def post(self, client, user, challenge, data, status, **extra):
        before = submission_rows()
        response = logged_in(client, user).post(new_url(challenge), data, **extra)
        assert response.status_code == status, response.content[:300]
        assert submission_rows() == before
        return response

    def test_without_accepting_the_agreement(self, client, entrants):
        e = entrants
        page = logged_in(client, e.other).get(new_url(e.challenge)).content.decode()
        assert "Accept the challenge's agreement" in page and 'name="title"' not in page
        response = self.post(client, e.other, e.challenge, TEXT, 403)
        page = response.content.decode()
        assert "Accept the challenge agreement before submitting." in page
        assert 'value="Chitosan membrane"' in page and "Cheap and strong." in page

    def test_after_the_deadline(self, client, entrants):
        e = entrants
        Challenge.objects.filter(pk=e.challenge.pk).update(submission_deadline=timezone.now())
        response = self.post(client, e.registered, e.challenge, TEXT, 409)
        assert "Submissions are closed for this challenge." in response.content.decode()
        page = client.get(new_url(e.challenge)).content.decode()
        assert "does not accept submissions now" in page and 'name="title"' not in page

    def test_challenge_not_open(self, client, entrants):
        e = entrants
        Challenge.objects.filter(pk=e.challenge.pk).update(state="closed")
        response = self.post(client, e.registered, e.challenge, TEXT, 409)
        assert "Submissions are closed" in response.content.decode()

    def test_oversized_file_is_a_clear_error_not_a_crash(self, client, entrants, settings):
        settings.SUBMISSION_MAX_FILE_BYTES = 1024
        big = pdf_upload("big.pdf", PDF_BYTES + b"x" * 4096)
        response = self.post(
            client, entrants.registered, entrants.challenge, {**TEXT, "files": [big]}, 400
        )
        page = response.content.decode()
        assert "A file is larger than 1.0\xa0KB, so nothing was saved." in page
        assert 'value="Chitosan membrane"' in page
        big = pdf_upload("big.pdf", PDF_BYTES + b"x" * 4096)
        response = self.post(
            client, entrants.registered, entrants.challenge, {**TEXT, "files": [big]}, 400, **XHR
        )
        assert response.json()["errors"]["files"][0].startswith("A file is larger than 1.0")

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (lambda: SimpleUploadedFile("empty.pdf", b""), "empty.pdf is empty."),
            (
                lambda: SimpleUploadedFile("cv.pdf", ELF_BYTES),
                "cv.pdf is not an accepted kind of file",
            ),
        ],
        ids=["empty", "executable disguised as a PDF"],
    )
    def test_bad_files(self, client, entrants, upload, message):
        data = {**TEXT, "files": [upload()]}
        response = self.post(client, entrants.registered, entrants.challenge, data, 400)
        assert message in response.content.decode()

    def test_path_traversal_names_are_flattened(self, client, entrants):
        e = entrants
        logged_in(client, e.registered).post(
            new_url(e.challenge), {**TEXT, "files": [pdf_upload("../../../etc/cron.d/x.pdf")]}
        )
        stored = Submission.objects.get(author=e.registered).files.get()
        assert stored.name == "x.pdf"
        assert ".." not in stored.file.name and stored.file.name.startswith("submissions/")
        download = client.get(
            reverse("submission_file_download", args=[stored.submission_id, stored.pk])
        )
        assert download["Content-Disposition"] == 'attachment; filename="x.pdf"'

    def test_team_whose_shares_do_not_add_up(self, client, entrants):
        e = entrants
        e.team.members.filter(user=e.member).update(share_bps=1_000)
        response = self.post(client, e.captain, e.challenge, {**TEXT, "team": e.team.pk}, 400)
        assert "6,000 basis points instead of 10,000" in response.content.decode()

    def test_a_withdrawn_team_member_loses_access(self, client, entrants):
        e = entrants
        e.team.members.filter(user=e.member).update(state="withdrawn", share_bps=0)
        client = logged_in(client, e.member)
        assert (
            client.get(reverse("solvers:submission_detail", args=[e.submission.pk])).status_code
            == 404
        )
        assert (
            client.get(
                reverse("submission_file_download", args=[e.submission.pk, e.file.pk])
            ).status_code
            == 404
        )
        assert (
            e.submission.title not in client.get(reverse("solvers:my_submissions")).content.decode()
        )

    def test_a_judge_of_another_organisation_gets_404(self, client, entrants):
        e = entrants
        Challenge.objects.filter(pk=e.challenge.pk).update(state="closed")
        client = logged_in(client, e.foreign_judge)
        for url in (
            reverse("solvers:submission_detail", args=[e.submission.pk]),
            reverse("submission_file_download", args=[e.submission.pk, e.file.pk]),
            reverse("seekers:submissions", args=[e.challenge.pk]),
            reverse("seekers:submission_detail", args=[e.challenge.pk, e.submission.pk]),
        ):
            assert client.get(url).status_code == 404


class TestDetailEditWithdraw:
    def detail(self, client, e):
        return client.get(
            reverse("solvers:submission_detail", args=[e.submission.pk])
        ).content.decode()

    def test_detail_shows_content_files_and_receipts(self, client, entrants):
        e = entrants
        Submission.objects.filter(pk=e.submission.pk).update(
            body="Hi <script>alert(1)</script> **there**"
        )
        page = self.detail(logged_in(client, e.member), e)
        assert "<script>alert" not in page and "<strong>there</strong>" in page
        assert e.file.sha256 in page and e.submission.sha256 in page
        assert reverse("submission_file_download", args=[e.submission.pk, e.file.pk]) in page
        assert reverse("solvers:submission_edit", args=[e.submission.pk]) in page
        assert reverse("solvers:submission_withdraw", args=[e.submission.pk]) in page

    def test_hashes_show_as_short_codes_with_the_full_value_disclosed(self, client, entrants):
        e = entrants
        page = self.detail(logged_in(client, e.member), e)
        assert_shown_as_receipt_code(page, e.submission.sha256)
        assert_shown_as_receipt_code(page, e.file.sha256)

    def test_no_edit_or_withdraw_after_the_deadline(self, client, entrants):
        e = entrants
        Challenge.objects.filter(pk=e.challenge.pk).update(
            submission_deadline=timezone.now() - timedelta(seconds=1)
        )
        page = self.detail(logged_in(client, e.member), e)
        assert "this submission is final" in page
        assert reverse("solvers:submission_edit", args=[e.submission.pk]) not in page
        response = client.get(
            reverse("solvers:submission_edit", args=[e.submission.pk]), follow=True
        )
        assert "can no longer be changed" in " ".join(messages_of(response))

    def test_edit_changes_text_adds_and_removes_files(self, client, entrants):
        e = entrants
        client = logged_in(client, e.member)
        url = reverse("solvers:submission_edit", args=[e.submission.pk])
        form = client.get(url).content.decode()
        assert 'value="Algae film, team Tide"' in form and 'name="remove"' in form
        png = SimpleUploadedFile("plot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        response = client.post(url, {**TEXT, "files": [png], "remove": [e.file.pk]}, follow=True)
        assert "Saved as a new version" in " ".join(messages_of(response))
        submission = Submission.objects.get(pk=e.submission.pk)
        assert (submission.title, submission.version) == (TEXT["title"], 2)
        assert [f.name for f in submission.files.filter(removed_at__isnull=True)] == ["plot.png"]
        page = response.content.decode()
        receipts = page[page.index('id="receipts"') :]
        assert re.findall(r"Version (\d)", receipts) == ["1", "2"]
        # Version 1's receipt still lists (and links) the removed file.
        assert reverse("submission_file_download", args=[e.submission.pk, e.file.pk]) in receipts

    def test_edit_refused_keeps_what_was_typed(self, client, entrants, settings):
        e = entrants
        settings.SUBMISSION_MAX_FILES = 1
        before = submission_rows()
        response = logged_in(client, e.member).post(
            reverse("solvers:submission_edit", args=[e.submission.pk]),
            {**TEXT, "files": [pdf_upload("second.pdf")]},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "at most 1 files" in page and 'value="Chitosan membrane"' in page
        assert submission_rows() == before

    def test_withdraw(self, client, entrants):
        e = entrants
        response = logged_in(client, e.captain).post(
            reverse("solvers:submission_withdraw", args=[e.submission.pk]), follow=True
        )
        assert "withdrawn" in " ".join(messages_of(response))
        assert Submission.objects.get(pk=e.submission.pk).state == "withdrawn"
        page = response.content.decode()
        assert reverse("solvers:submission_edit", args=[e.submission.pk]) not in page
        assert re.findall(r"Version (\d)", page[page.index('id="receipts"') :]) == ["1", "2"]


def test_my_submissions_and_my_challenges(client, entrants):
    e = entrants
    client = logged_in(client, e.member)
    page = client.get(reverse("solvers:my_submissions")).content.decode()
    assert "Algae film, team Tide" in page and e.challenge.title in page and "Tide" in page
    page = client.get(reverse("solvers:my_challenges")).content.decode()
    assert reverse("solvers:my_submissions") in page
    assert reverse("solvers:submission_new", args=[e.challenge.pk]) in page
