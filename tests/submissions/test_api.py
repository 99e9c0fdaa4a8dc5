"""The submissions API: create (multipart or JSON), edit, files, receipts, withdraw,
blind judging, and every bad input of the issue refused with a clear error and nothing
written."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.submissions.models import Submission, SubmissionFile
from tests.api_calls import assert_error, client_for
from tests.conftest import submission_rows
from tests.factories import ELF_BYTES, PDF_BYTES, ChallengeFactory, pdf_upload, submission_for

pytestmark = pytest.mark.django_db

TEXT = {"title": "Membrane from chitosan", "abstract": "Cheap.", "body": "# How\nLike **this**."}


def create(user, challenge, data=None, fmt="multipart"):
    url = f"/api/v1/challenges/{challenge.pk}/submissions/"
    return client_for(user).post(url, data if data is not None else TEXT, format=fmt)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def close(challenge):
    Challenge.objects.filter(pk=challenge.pk).update(
        state="closed", submission_deadline=timezone.now() - timedelta(seconds=1)
    )


class TestCreate:
    def test_multipart_with_files_answers_the_receipt(
        self, entrants, mailoutbox, django_capture_on_commit_callbacks
    ):
        e = entrants
        with django_capture_on_commit_callbacks(execute=True):
            response = create(e.registered, e.challenge, {**TEXT, "files": [pdf_upload("a.pdf")]})
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["title"], body["state"], body["version"]) == (TEXT["title"], "active", 1)
        assert body["author"] == {"id": e.registered.pk, "name": "Cy Registered"}
        assert "<strong>this</strong>" in body["body_html"]
        [f] = body["files"]
        assert (f["name"], f["size"], f["sha256"]) == ("a.pdf", len(PDF_BYTES), sha(PDF_BYTES))
        assert client_for(e.registered).get(f["download_url"]).getvalue() == PDF_BYTES
        submission = Submission.objects.get(pk=body["id"])
        assert submission.sha256 == body["sha256"] and submission.author == e.registered
        [mail] = mailoutbox
        assert mail.to == [e.registered.email] and body["sha256"] in mail.body

    def test_json_without_files(self, entrants):
        response = create(entrants.registered, entrants.challenge, TEXT, fmt="json")
        assert response.status_code == 201
        assert response.json()["files"] == []

    def test_captain_submits_for_the_team(self, entrants):
        e = entrants
        response = create(e.captain, e.challenge, {**TEXT, "team": e.team.pk}, fmt="json")
        assert response.status_code == 201
        assert response.json()["team"] == {"id": e.team.pk, "name": "Tide"}
        # The member sees it in their list too.
        listed = client_for(e.member).get(f"/api/v1/challenges/{e.challenge.pk}/submissions/")
        assert response.json()["id"] in [row["id"] for row in listed.json()["results"]]

    def test_missing_text_is_invalid_per_field(self, entrants):
        before = submission_rows()
        response = create(entrants.registered, entrants.challenge, {"title": ""}, fmt="json")
        body = assert_error(response, 400, "invalid")
        assert set(body["fields"]) == {"abstract", "body"}
        response = create(
            entrants.registered, entrants.challenge, {**TEXT, "title": " "}, fmt="json"
        )
        assert set(assert_error(response, 400, "invalid")["fields"]) == {"title"}
        assert submission_rows() == before


class TestBadInput:
    """Each case of the issue's list, through the API: refused, nothing written."""

    def test_without_accepting_the_agreement(self, entrants):
        before = submission_rows()
        body = assert_error(create(entrants.other, entrants.challenge), 403, "permission_denied")
        assert "agreement" in body["detail"]
        assert submission_rows() == before

    def test_after_the_deadline_to_the_second(self, entrants):
        e = entrants
        Challenge.objects.filter(pk=e.challenge.pk).update(submission_deadline=timezone.now())
        before = submission_rows()
        assert_error(create(e.registered, e.challenge), 409, "closed")
        assert_error(
            client_for(e.captain).patch(
                f"/api/v1/submissions/{e.submission.pk}/", {"title": "Late"}, format="json"
            ),
            409,
            "closed",
        )
        assert submission_rows() == before

    @pytest.mark.parametrize("state", ["awaiting_funding", "closed", "judging", "completed"])
    def test_challenge_not_open(self, org, solver, state):
        from tests.factories import RegistrationFactory

        challenge = ChallengeFactory(organization=org, state=state)
        RegistrationFactory(challenge=challenge, user=solver)
        response = create(solver, challenge)
        # Before opening the challenge is not even visible; afterwards it is closed.
        assert response.status_code == (404 if state == "awaiting_funding" else 409)
        assert not Submission.objects.exists()

    def test_oversized_file_stops_the_upload(self, entrants, settings):
        settings.SUBMISSION_MAX_FILE_BYTES = 1024

        def big():
            return pdf_upload("big.pdf", PDF_BYTES + b"x" * 2048)

        before = submission_rows()
        body = assert_error(
            create(entrants.registered, entrants.challenge, {**TEXT, "files": [big()]}),
            400,
            "invalid",
        )
        # filesizeformat separates number and unit with a no-break space.
        assert body["fields"]["files"] == ["A file is larger than 1.0\xa0KB, so nothing was saved."]
        url = f"/api/v1/submissions/{entrants.submission.pk}/files/"
        body = assert_error(
            client_for(entrants.captain).post(url, {"files": [big()]}), 400, "invalid"
        )
        assert "larger than 1.0\xa0KB" in body["fields"]["files"][0]
        assert submission_rows() == before

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (SimpleUploadedFile("empty.pdf", b""), "empty.pdf is empty."),
            (SimpleUploadedFile("invoice.pdf", ELF_BYTES), "invoice.pdf is not an accepted kind"),
        ],
        ids=["empty", "executable disguised as a PDF"],
    )
    def test_bad_files(self, entrants, upload, message):
        before = submission_rows()
        body = assert_error(
            create(entrants.registered, entrants.challenge, {**TEXT, "files": [upload]}), 400
        )
        assert body["fields"]["files"][0].startswith(message)
        assert submission_rows() == before

    def test_too_many_files(self, entrants, settings):
        settings.SUBMISSION_MAX_FILES = 2
        files = [pdf_upload(f"{n}.pdf") for n in range(3)]
        body = assert_error(
            create(entrants.registered, entrants.challenge, {**TEXT, "files": files}), 400
        )
        assert "at most 2 files" in body["fields"]["files"][0]

    @pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/abs/x.pdf"])
    def test_path_traversal_names_are_flattened(self, entrants, name):
        response = create(
            entrants.registered, entrants.challenge, {**TEXT, "files": [pdf_upload(name)]}
        )
        assert response.status_code == 201
        [f] = response.json()["files"]
        assert "/" not in f["name"] and "\\" not in f["name"] and not f["name"].startswith(".")
        stored = SubmissionFile.objects.get(pk=f["id"])
        assert stored.file.name.startswith(f"submissions/{entrants.challenge.pk}/")
        assert ".." not in stored.file.name
        download = client_for(entrants.registered).get(f["download_url"])
        assert download["Content-Disposition"] == f'attachment; filename="{f["name"]}"'

    def test_team_whose_shares_do_not_add_up(self, entrants):
        e = entrants
        e.team.members.filter(user=e.member).update(share_bps=4_000)
        before = submission_rows()
        body = assert_error(
            create(e.captain, e.challenge, {**TEXT, "team": e.team.pk}, fmt="json"), 400
        )
        assert "9,000" in body["fields"]["team"][0]
        assert submission_rows() == before

    def test_only_the_captain_submits_for_the_team(self, entrants):
        e = entrants
        assert_error(create(e.member, e.challenge, {**TEXT, "team": e.team.pk}, fmt="json"), 403)

    def test_a_withdrawn_team_member_loses_access(self, entrants):
        e = entrants
        e.team.members.filter(user=e.member).update(state="withdrawn", share_bps=0)
        client = client_for(e.member)
        for url in (
            f"/api/v1/submissions/{e.submission.pk}/",
            f"/api/v1/submissions/{e.submission.pk}/files/{e.file.pk}/",
            f"/api/v1/submissions/{e.submission.pk}/versions/",
        ):
            assert_error(client.get(url), 404, "not_found")
        before = submission_rows()
        assert_error(
            client.patch(
                f"/api/v1/submissions/{e.submission.pk}/", {"title": "Mine"}, format="json"
            ),
            404,
        )
        assert submission_rows() == before
        listed = client.get(f"/api/v1/challenges/{e.challenge.pk}/submissions/").json()
        assert listed["results"] == []

    def test_a_judge_of_another_organisation_gets_404(self, entrants):
        e = entrants
        close(e.challenge)
        client = client_for(e.foreign_judge)
        assert_error(client.get(f"/api/v1/submissions/{e.submission.pk}/"), 404)
        assert_error(client.get(f"/api/v1/submissions/{e.submission.pk}/files/{e.file.pk}/"), 404)
        listed = client.get(f"/api/v1/challenges/{e.challenge.pk}/submissions/").json()
        assert listed["results"] == []


class TestVersions:
    def test_edit_add_and_remove_files_each_make_a_receipt(self, entrants):
        e = entrants
        client = client_for(e.member)
        url = f"/api/v1/submissions/{e.submission.pk}/"
        edited = client.patch(url, {"abstract": "Better."}, format="json").json()
        assert (edited["version"], edited["title"], edited["abstract"]) == (
            2,
            "Algae film, team Tide",
            "Better.",
        )
        png = SimpleUploadedFile("plot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        added = client.post(f"{url}files/", {"files": [png]})
        assert added.status_code == 201
        assert [f["name"] for f in added.json()["files"]] == ["report.pdf", "plot.png"]
        removed = client.delete(f"{url}files/{e.file.pk}/").json()
        assert (removed["version"], [f["name"] for f in removed["files"]]) == (4, ["plot.png"])

        receipts = client.get(f"{url}versions/").json()["results"]
        assert [r["number"] for r in receipts] == [1, 2, 3, 4]
        assert [[f["name"] for f in r["files"]] for r in receipts] == [
            ["report.pdf"],
            ["report.pdf"],
            ["report.pdf", "plot.png"],
            ["plot.png"],
        ]
        assert receipts[-1]["sha256"] == removed["sha256"]
        assert len({r["sha256"] for r in receipts}) == 4
        # The removed file stays provable: its authors can still fetch it.
        assert client.get(receipts[0]["files"][0]["download_url"]).getvalue() == PDF_BYTES
        # Removing it again is a 404: it is not a file of the current version.
        assert_error(client.delete(f"{url}files/{e.file.pk}/"), 404)

    def test_withdraw(self, entrants):
        e = entrants
        body = client_for(e.captain).delete(f"/api/v1/submissions/{e.submission.pk}/").json()
        assert (body["state"], body["version"]) == ("withdrawn", 2)
        assert body["withdrawn_at"] is not None
        receipts = client_for(e.captain).get(f"/api/v1/submissions/{e.submission.pk}/versions/")
        assert receipts.json()["results"][-1]["note"] == "withdrawn"
        assert_error(
            client_for(e.captain).delete(f"/api/v1/submissions/{e.submission.pk}/"),
            409,
            "withdrawn",
        )
        # Once closed, the Seeker never sees a withdrawn submission.
        close(e.challenge)
        assert_error(client_for(e.owner).get(f"/api/v1/submissions/{e.submission.pk}/"), 404)


class TestReaders:
    def test_owner_sees_active_submissions_with_identity(self, entrants):
        e = entrants
        close(e.challenge)
        rows = client_for(e.owner).get(f"/api/v1/challenges/{e.challenge.pk}/submissions/")
        [row] = rows.json()["results"]
        assert (row["id"], row["entry_number"]) == (e.submission.pk, 1)
        assert row["author"]["name"] == "Ada Captain" and row["team"]["name"] == "Tide"

    def test_blind_judging_hides_who_from_the_seeker_not_from_staff(self, entrants):
        e = entrants
        solo = submission_for(e.challenge, e.registered, title="Solo entry")
        Challenge.objects.filter(pk=e.challenge.pk).update(blind_judging=True)
        close(e.challenge)
        for reader in (e.judge, e.owner):
            rows = client_for(reader).get(f"/api/v1/challenges/{e.challenge.pk}/submissions/")
            listed = [
                (r["entry_number"], r["title"], r["author"], r["team"])
                for r in rows.json()["results"]
            ]
            assert listed == [
                (1, "Algae film, team Tide", None, None),
                (2, "Solo entry", None, None),
            ]
            one = client_for(reader).get(f"/api/v1/submissions/{solo.pk}/").json()
            assert (one["entry_number"], one["author"]) == (2, None)
            assert (
                b"Cy Registered"
                not in client_for(reader).get(f"/api/v1/submissions/{solo.pk}/").content
            )
        staff = client_for(e.staff).get(f"/api/v1/submissions/{solo.pk}/").json()
        assert staff["author"]["name"] == "Cy Registered"
        mine = client_for(e.registered).get(f"/api/v1/submissions/{solo.pk}/").json()
        assert (mine["author"]["name"], mine["entry_number"]) == ("Cy Registered", None)

    def test_download_headers(self, entrants):
        e = entrants
        response = client_for(e.member).get(
            f"/api/v1/submissions/{e.submission.pk}/files/{e.file.pk}/",
            HTTP_ACCEPT="application/octet-stream",
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
