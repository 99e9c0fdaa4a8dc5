"""HTML and SVG can run script when opened: refused in submissions and attachments
unless the challenge allows them, and then only ever offered as downloads of opaque
bytes. Every kept file ends in an extension of the type its content shows."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.challenges.attachments import attachment_add
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.submissions.models import SubmissionFile
from tests.api_calls import call, client_for
from tests.factories import PDF_BYTES, ChallengeFactory, RegistrationFactory, submission_for
from tests.seekers.test_pages_editor import edit_url, editor_data

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<!doctype html><p>Results</p><script>fetch('/api/v1/')</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def entry(org, owner):
    """An open challenge and a solver registered to it."""

    def entry(**fields):
        challenge = ChallengeFactory(organization=org, state="open", **fields)
        return challenge, RegistrationFactory(challenge=challenge).user

    return entry


def _download(client, stored):
    return client.get(reverse("submission_file_download", args=[stored.submission_id, stored.pk]))


class TestSubmissions:
    def test_a_png_named_exe_is_kept_and_offered_as_png(self, client, entry):
        challenge, solver = entry()
        stored = submission_for(challenge, solver, files=[upload("evil.exe", PNG)]).files.get()
        assert (stored.name, stored.content_type) == ("evil.png", "image/png")
        client.force_login(solver)
        response = _download(client, stored)
        assert response["Content-Disposition"] == 'attachment; filename="evil.png"'
        assert response["Content-Type"] == "image/png"

    def test_a_pdf_named_txt_becomes_pdf_and_long_names_keep_the_extension(self, entry):
        challenge, solver = entry()
        files = [upload("report.txt", PDF_BYTES), upload("r" * 250 + ".txt", b"plain words")]
        stored = submission_for(challenge, solver, files=files).files.order_by("pk")
        assert stored[0].name == "report.pdf"
        assert stored[1].name == "r" * 196 + ".txt" and len(stored[1].name) == 200

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("results.txt", HTML, "results.txt: HTML files are not accepted for this challenge."),
            ("figure.txt", SVG, "figure.txt: SVG files are not accepted for this challenge."),
            (
                "page.html",
                b"just words",
                "page.html: HTML files are not accepted for this challenge.",
            ),
        ],
    )
    def test_html_and_svg_are_refused_by_content_and_by_name(self, entry, name, content, message):
        challenge, solver = entry()
        with pytest.raises(ValidationError) as refused:
            submission_for(challenge, solver, files=[upload(name, content)])
        assert refused.value.message_dict == {"files": [message]}
        assert not challenge.submissions.exists()

    def test_the_refusal_is_said_through_the_api_in_spanish(self, entry):
        challenge, solver = entry()
        response = _api_upload(solver, challenge, upload("a.txt", HTML))
        assert response.status_code == 400, response.content
        assert response.json()["fields"]["files"] == [
            "a.txt: no se aceptan archivos HTML en este desafío."
        ]

    def test_a_file_kept_before_is_offered_under_a_name_of_its_type(self, client, entry):
        challenge, solver = entry()
        stored = submission_for(
            challenge, solver, files=[upload("notes.txt", b"words")]
        ).files.get()
        SubmissionFile.objects.filter(pk=stored.pk).update(name="notes.html")
        client.force_login(solver)
        response = _download(client, stored)
        assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
        assert response["Content-Type"] == "text/plain"

    def test_when_allowed_they_are_only_downloads_of_opaque_bytes(self, client, entry):
        challenge, solver = entry(allow_html_uploads=True)
        files = [upload("results.htm", HTML), upload("figure.txt", SVG)]
        page, figure = submission_for(challenge, solver, files=files).files.order_by("pk")
        assert (page.name, page.content_type) == ("results.htm", "text/html")
        assert (figure.name, figure.content_type) == ("figure.svg", "image/svg+xml")
        client.force_login(solver)
        for stored in (page, figure):
            response = _download(client, stored)
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["Content-Type"] == "application/octet-stream"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content) in (HTML, SVG)
        api = call(solver, "get", f"/api/v1/submissions/{page.submission_id}/files/{page.pk}/")
        assert api["Content-Type"] == "application/octet-stream"
        assert api["Content-Disposition"] == 'attachment; filename="results.htm"'


def _api_upload(user, challenge, file):
    data = {"title": "T", "abstract": "A", "body": "B", "files": [file]}
    return client_for(user).post(
        f"/api/v1/challenges/{challenge.pk}/submissions/",
        data,
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="es",
    )


class TestAttachments:
    def test_the_type_comes_from_the_content(self, org, owner):
        draft = ChallengeFactory(organization=org, created_by=owner)
        added = attachment_add(challenge_id=draft.pk, actor=owner, upload=upload("plan.exe", PNG))
        assert (added.name, added.content_type) == ("plan.png", "image/png")

    def test_html_is_refused_unless_allowed(self, org, owner):
        draft = ChallengeFactory(organization=org, created_by=owner)
        with pytest.raises(ValidationError) as refused:
            attachment_add(challenge_id=draft.pk, actor=owner, upload=upload("a.svg", SVG))
        assert refused.value.message_dict == {
            "file": ["a.svg: SVG files are not accepted for this challenge."]
        }
        assert not draft.attachments.exists()

    def test_allowed_html_is_a_download_with_nosniff(self, client, org, owner):
        draft = ChallengeFactory(organization=org, created_by=owner, allow_html_uploads=True)
        added = attachment_add(challenge_id=draft.pk, actor=owner, upload=upload("a.html", HTML))
        Challenge.objects.filter(pk=draft.pk).update(state=S.OPEN)
        client.force_login(owner)
        response = client.get(reverse("attachment_download", args=[draft.pk, added.pk]))
        assert response["Content-Disposition"] == 'attachment; filename="a.html"'
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"


class TestTheChallengeSetting:
    def test_the_owner_allows_html_through_the_api(self, draft, owner):
        assert (
            call(owner, "get", f"/api/v1/challenges/{draft.pk}/").json()["allow_html_uploads"]
            is False
        )
        response = call(
            owner, "patch", f"/api/v1/challenges/{draft.pk}/", {"allow_html_uploads": True}
        )
        assert response.status_code == 200, response.content
        assert response.json()["allow_html_uploads"] is True
        assert Challenge.objects.get(pk=draft.pk).allow_html_uploads is True

    def test_the_owner_allows_html_in_the_editor(self, client, draft, owner):
        client.force_login(owner)
        page = client.get(edit_url(draft)).content.decode()
        assert 'name="allow_html_uploads"' in page and 'aria-describedby="allow-html-help"' in page
        client.post(edit_url(draft), editor_data(allow_html_uploads="on"))
        assert Challenge.objects.get(pk=draft.pk).allow_html_uploads is True

    def test_the_editor_shows_and_clears_the_setting(self, client, org, owner):
        allowed = ChallengeFactory(organization=org, created_by=owner, allow_html_uploads=True)
        client.force_login(owner)
        assert 'aria-describedby="allow-html-help" id="id_allow_html_uploads" checked' in (
            client.get(edit_url(allowed)).content.decode()
        )
        client.post(edit_url(allowed), editor_data())
        assert Challenge.objects.get(pk=allowed.pk).allow_html_uploads is False
