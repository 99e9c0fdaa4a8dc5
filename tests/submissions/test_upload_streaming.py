"""A 200 MB file through a real HTTP request to the live server (a thread of this
process): the client streams the multipart body from a generator with a computed
Content-Length, never holding it in memory, and tracemalloc measures the peak of every
Python allocation in the process, server included, while the file goes up, is hashed,
written to a temporary file and moved into private storage."""

import hashlib
import http.client
import json
import os
import secrets
import tracemalloc
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from marketplace.submissions.models import Submission
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory

SIZE = 200 * 1024 * 1024  # exactly the default limit, which is allowed
CHUNK = 1024 * 1024
PEAK_LIMIT = 100 * 1024 * 1024
HEAD = b"%PDF-1.7\n"


@pytest.fixture(scope="session", autouse=True)
def _live_server_without_media_url(request):
    """The site has no public media URL (MEDIA_URL = None), but Django's live server
    builds a media handler from it when it starts: start it with a path no page uses."""
    with override_settings(MEDIA_URL="/live-server-media-unused/"):
        request.getfixturevalue("live_server")


def multipart(boundary: str, fields: dict[str, str], filename: str):
    """(bytes before the file's content, bytes after it) of a multipart/form-data body
    whose last part is the file."""
    head = b""
    for name, value in fields.items():
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    head += (
        f"--{boundary}\r\nContent-Disposition: form-data; "
        f'name="files"; filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    return head, f"\r\n--{boundary}--\r\n".encode()


def streamed_body(head: bytes, tail: bytes, digest):
    """Yield the body chunk by chunk: random content after a PDF signature, hashed as
    it is generated."""
    yield head
    sent = 0
    while sent < SIZE:
        chunk = os.urandom(min(CHUNK, SIZE - sent))
        if sent == 0:
            chunk = HEAD + chunk[len(HEAD) :]
        digest.update(chunk)
        sent += len(chunk)
        yield chunk
    yield tail


def stored_sha256(stored) -> str:
    digest = hashlib.sha256()
    with stored.file.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def test_a_200_mb_upload_streams_in_constant_memory(live_server):
    challenge = ChallengeFactory(state="open")
    solver = RegistrationFactory(challenge=challenge, user=UserFactory()).user
    browser = Client()
    browser.force_login(solver)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)  # a 32-character secret, sent as cookie and header
    boundary = secrets.token_hex(16)
    head, tail = multipart(
        boundary, {"title": "A big one", "abstract": "Large.", "body": "See the file."}, "big.pdf"
    )
    digest = hashlib.sha256()
    url = urlsplit(live_server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        conn.request(
            "POST",
            reverse("solvers:submission_new", args=[challenge.pk]),
            body=streamed_body(head, tail, digest),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + SIZE + len(tail)),
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
                "X-Requested-With": "XMLHttpRequest",
            },
        )
        response = conn.getresponse()
        answer = response.read()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        conn.close()

    assert response.status == 200, answer[:500]
    submission = Submission.objects.get(challenge=challenge)
    assert json.loads(answer) == {"redirect": f"/solver/submissions/{submission.pk}/"}
    print(f"\npeak Python memory while uploading {SIZE / 2**20:.0f} MiB: {peak / 2**20:.1f} MiB")
    assert peak < PEAK_LIMIT
    stored = submission.files.get()
    assert (stored.size, stored.content_type) == (SIZE, "application/pdf")
    assert stored.sha256 == digest.hexdigest() == stored_sha256(stored)
