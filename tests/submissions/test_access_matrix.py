"""Every submission and file endpoint and page against every kind of caller, while the
challenge is open and after it has closed: the status each one gets, whether the
submission shows, and proof that a refused request wrote nothing (and an allowed write
wrote something)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.challenges.models import Challenge
from tests.conftest import submission_rows
from tests.factories import PDF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "registered",
    "other",
    "member",
    "captain",
    "judge",
    "foreign_judge",
    "owner",
    "staff",
)
# Who may write while the challenge is open: the team's captain and member; a new
# submission also the registered solver. After the deadline nobody may.
AUTHORS = {"member", "captain"}
SOLVERS = AUTHORS | {"registered"}


def expect(*outcomes: str) -> dict[str, str]:
    """One outcome per role, in ROLES order: a status, "200 empty" for a page or list
    that answers without the submission, "302 login" for the log-in redirect."""
    return dict(zip(ROLES, outcomes, strict=True))


def api(e):
    return f"/api/v1/submissions/{e.submission.pk}/"


def api_file(e):
    return f"/api/v1/submissions/{e.submission.pk}/files/{e.file.pk}/"


def page(e):
    return f"/solver/submissions/{e.submission.pk}/"


def seeker(e):
    return f"/seeker/challenges/{e.challenge.pk}/submissions/"


TEXT = {"title": "Changed title", "abstract": "Changed.", "body": "Changed **body**."}

# name: (request, outcomes while open, outcomes after closing, who writes while open)
CASES = {
    "API list": (
        lambda e: ("get", f"/api/v1/challenges/{e.challenge.pk}/submissions/", None, "json"),
        expect(
            "401",
            "200 empty",
            "200 empty",
            "200",
            "200",
            "200 empty",
            "200 empty",
            "200 empty",
            "200",
        ),
        expect("401", "200 empty", "200 empty", "200", "200", "200", "200 empty", "200", "200"),
        set(),
    ),
    "API create": (
        lambda e: (
            "post",
            f"/api/v1/challenges/{e.challenge.pk}/submissions/",
            {**TEXT, "files": [pdf_upload()]},
            "multipart",
        ),
        expect("401", "201", "403", "201", "201", "403", "403", "403", "403"),
        expect("401", "409", "403", "409", "409", "403", "403", "403", "403"),
        SOLVERS,
    ),
    "API detail": (
        lambda e: ("get", api(e), None, "json"),
        expect("401", "404", "404", "200", "200", "404", "404", "404", "200"),
        expect("401", "404", "404", "200", "200", "200", "404", "200", "200"),
        set(),
    ),
    "API edit": (
        lambda e: ("patch", api(e), TEXT, "json"),
        expect("401", "404", "404", "200", "200", "404", "404", "404", "403"),
        expect("401", "404", "404", "409", "409", "403", "404", "403", "403"),
        AUTHORS,
    ),
    "API withdraw": (
        lambda e: ("delete", api(e), None, "json"),
        expect("401", "404", "404", "200", "200", "404", "404", "404", "403"),
        expect("401", "404", "404", "409", "409", "403", "404", "403", "403"),
        AUTHORS,
    ),
    "API add files": (
        lambda e: ("post", f"{api(e)}files/", {"files": [pdf_upload("more.pdf")]}, "multipart"),
        expect("401", "404", "404", "201", "201", "404", "404", "404", "403"),
        expect("401", "404", "404", "409", "409", "403", "404", "403", "403"),
        AUTHORS,
    ),
    "API download": (
        lambda e: ("get", api_file(e), None, "json"),
        expect("401", "404", "404", "200", "200", "404", "404", "404", "200"),
        expect("401", "404", "404", "200", "200", "200", "404", "200", "200"),
        set(),
    ),
    "API remove file": (
        lambda e: ("delete", api_file(e), None, "json"),
        expect("401", "404", "404", "200", "200", "404", "404", "404", "403"),
        expect("401", "404", "404", "409", "409", "403", "404", "403", "403"),
        AUTHORS,
    ),
    "API receipts": (
        lambda e: ("get", f"{api(e)}versions/", None, "json"),
        expect("401", "404", "404", "200", "200", "404", "404", "404", "200"),
        expect("401", "404", "404", "200", "200", "403", "404", "403", "200"),
        set(),
    ),
    "page: submit": (
        lambda e: (
            "post",
            f"/solver/challenges/{e.challenge.pk}/submissions/new/",
            {**TEXT, "files": [pdf_upload()]},
            None,
        ),
        expect("302 login", "302", "403", "302", "302", "403", "403", "403", "403"),
        expect("302 login", "409", "403", "409", "409", "403", "403", "403", "403"),
        SOLVERS,
    ),
    "page: my submissions": (
        lambda e: ("get", "/solver/submissions/", None, None),
        expect(
            "302 login",
            "200 empty",
            "200 empty",
            "200",
            "200",
            "200 empty",
            "200 empty",
            "200 empty",
            "200 empty",
        ),
        expect(
            "302 login",
            "200 empty",
            "200 empty",
            "200",
            "200",
            "200 empty",
            "200 empty",
            "200 empty",
            "200 empty",
        ),
        set(),
    ),
    "page: detail": (
        lambda e: ("get", page(e), None, None),
        expect("302 login", "404", "404", "200", "200", "404", "404", "404", "200"),
        expect("302 login", "404", "404", "200", "200", "404", "404", "404", "200"),
        set(),
    ),
    "page: edit form": (
        lambda e: ("get", f"{page(e)}edit/", None, None),
        expect("302 login", "404", "404", "200", "200", "404", "404", "404", "302"),
        expect("302 login", "404", "404", "302", "302", "404", "404", "404", "302"),
        set(),
    ),
    "page: edit": (
        lambda e: ("post", f"{page(e)}edit/", {**TEXT, "files": [pdf_upload("more.pdf")]}, None),
        expect("302 login", "404", "404", "302", "302", "404", "404", "404", "403"),
        expect("302 login", "404", "404", "409", "409", "404", "404", "404", "403"),
        AUTHORS,
    ),
    "page: withdraw": (
        lambda e: ("post", f"{page(e)}withdraw/", {}, None),
        expect("302 login", "404", "404", "302", "302", "404", "404", "404", "302"),
        expect("302 login", "404", "404", "302", "302", "404", "404", "404", "302"),
        AUTHORS,
    ),
    "page: download": (
        lambda e: ("get", f"/submissions/{e.submission.pk}/files/{e.file.pk}/", None, None),
        expect("404", "404", "404", "200", "200", "404", "404", "404", "200"),
        expect("404", "404", "404", "200", "200", "200", "404", "200", "200"),
        set(),
    ),
    "seeker: list": (
        lambda e: ("get", seeker(e), None, None),
        expect("302 login", "404", "404", "404", "404", "200 empty", "404", "200 empty", "200"),
        expect("302 login", "404", "404", "404", "404", "200", "404", "200", "200"),
        set(),
    ),
    "seeker: detail": (
        lambda e: ("get", f"{seeker(e)}{e.submission.pk}/", None, None),
        expect("302 login", "404", "404", "404", "404", "404", "404", "404", "200"),
        expect("302 login", "404", "404", "404", "404", "200", "404", "200", "200"),
        set(),
    ),
    "API review history": (
        lambda e: ("get", f"{api(e)}review/", None, "json"),
        expect("401", "404", "404", "404", "404", "404", "404", "404", "200 empty"),
        expect("401", "404", "404", "404", "404", "200 empty", "404", "200 empty", "200 empty"),
        set(),
    ),
    "API set review": (
        lambda e: ("post", f"{api(e)}review/", {"status": "admissible", "note": "Fine."}, "json"),
        expect("401", "404", "404", "403", "403", "404", "404", "404", "409"),
        expect("401", "404", "404", "403", "403", "200", "404", "200", "200"),
        set(),
    ),
    "seeker: set review": (
        lambda e: (
            "post",
            f"/seeker/challenges/{e.challenge.pk}/judging/{e.submission.pk}/review/",
            {"status": "admissible", "note": "Fine."},
            None,
        ),
        expect("302 login", "404", "404", "404", "404", "404", "404", "404", "404"),
        expect("302 login", "404", "404", "404", "404", "302", "404", "302", "404"),
        set(),
    ),
}
# Writes allowed only once the challenge has closed: the review of an entry.
CLOSED_WRITERS = {
    "API set review": {"judge", "owner", "staff"},
    "seeker: set review": {"judge", "owner"},
}


def _close(challenge) -> None:
    Challenge.objects.filter(pk=challenge.pk).update(
        state="closed", submission_deadline=timezone.now() - timedelta(minutes=1)
    )


def _send(user, method, url, data, fmt):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    kwargs = {"format": fmt} if fmt else {}
    return getattr(client, method)(url, data, **kwargs)


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("role", ROLES)
def test_matrix(entrants, case, role, closed):
    build, while_open, after_close, writers = CASES[case]
    if closed:
        _close(entrants.challenge)
    user = None if role == "anonymous" else getattr(entrants, role)
    method, url, data, fmt = build(entrants)
    outcome = (after_close if closed else while_open)[role]
    before = submission_rows()

    response = _send(user, method, url, data, fmt)

    status, _space, note = outcome.partition(" ")
    assert response.status_code == int(status), (case, role, response.content[:500])
    if note == "login":
        assert response["Location"].startswith("/accounts/login/")
    body = _content(response)
    if status == "200" and method == "get" and url.endswith(f"/files/{entrants.file.pk}/"):
        assert body == PDF_BYTES
    elif status == "200" and method == "get":
        shown = entrants.submission.title.encode() in body
        assert shown is (note != "empty"), (case, role)
    elif status in ("401", "404"):
        assert entrants.submission.title.encode() not in body
    wrote = role in (CLOSED_WRITERS.get(case, set()) if closed else writers)
    assert (submission_rows() != before) is wrote, (case, role)


def test_guessed_ids_look_like_ids_that_do_not_exist(entrants):
    """Another submission's id, or a file id of another submission, answers exactly as
    an id never used: 404 with the same body."""
    e = entrants
    mine = e.registered
    last = max(e.submission.pk, e.file.pk) + 1000
    urls = [
        (f"/api/v1/submissions/{e.submission.pk}/", f"/api/v1/submissions/{last}/"),
        (api_file(e), f"/api/v1/submissions/{e.submission.pk}/files/{last}/"),
        (
            f"/api/v1/submissions/{e.submission.pk}/versions/",
            f"/api/v1/submissions/{last}/versions/",
        ),
    ]
    for guessed, missing in urls:
        a, b = _send(mine, "get", guessed, None, "json"), _send(mine, "get", missing, None, "json")
        assert (a.status_code, a.json()) == (b.status_code, b.json()) == (404, a.json())
    for guessed, missing in (
        (page(e), f"/solver/submissions/{last}/"),
        (f"/submissions/{e.submission.pk}/files/{e.file.pk}/", f"/submissions/{last}/files/1/"),
    ):
        assert _send(mine, "get", guessed, None, None).status_code == 404
        assert _send(mine, "get", missing, None, None).status_code == 404


def test_a_file_id_of_another_submission_is_404_for_an_author(entrants):
    """The captain may read both submissions, but a file is only found under its own."""
    from tests.factories import submission_for

    e = entrants
    solo = submission_for(e.challenge, e.captain, files=[pdf_upload("solo.pdf")])
    solo_file = solo.files.get()
    crossed = [
        f"/api/v1/submissions/{e.submission.pk}/files/{solo_file.pk}/",
        f"/submissions/{e.submission.pk}/files/{solo_file.pk}/",
        f"/submissions/{solo.pk}/files/{e.file.pk}/",
    ]
    for url in crossed:
        assert _send(e.captain, "get", url, None, None).status_code == 404
    before = submission_rows()
    response = _send(e.captain, "delete", crossed[0], None, "json")
    assert response.status_code == 404
    assert submission_rows() == before
