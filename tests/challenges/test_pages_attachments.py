"""Attachments are streamed through a permission-checking view, never a public URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.challenges.attachments import attachment_add
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from tests.factories import ChallengeFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 test plan"


@pytest.fixture
def attachment(org, owner):
    challenge = ChallengeFactory(organization=org, created_by=owner)
    upload = SimpleUploadedFile('../../test "plan".pdf', CONTENT, content_type="application/pdf")
    added = attachment_add(challenge_id=challenge.pk, actor=owner, upload=upload)
    Challenge.objects.filter(pk=challenge.pk).update(state=S.OPEN)
    return added


def url(attachment, challenge=None) -> str:
    return reverse(
        "attachment_download", args=[(challenge or attachment.challenge).pk, attachment.pk]
    )


def login_as(client, request, attachment, who):
    if who == "registered":
        client.force_login(RegistrationFactory(challenge=attachment.challenge).user)
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("solver", False),
        ("registered", True),
        ("outsider", False),
        ("judge", True),
        ("owner", True),
        ("staff", True),
    ],
)
def test_download_permission_matrix(client, request, attachment, who, allowed):
    login_as(client, request, attachment, who)
    response = client.get(url(attachment))
    if not allowed:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="test \\"plan\\".pdf"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("who", "status"), [("solver", 404), ("judge", 200), ("staff", 200)])
def test_unpublished_challenge_files_only_for_members_and_staff(
    client, request, attachment, who, status
):
    Challenge.objects.filter(pk=attachment.challenge_id).update(state=S.AWAITING_FUNDING)
    login_as(client, request, attachment, who)
    assert client.get(url(attachment)).status_code == status


def test_attachment_of_another_challenge_is_404(client, attachment, owner):
    other = ChallengeFactory(state=S.OPEN)
    RegistrationFactory(challenge=other, user=owner)
    client.force_login(owner)
    assert client.get(url(attachment, challenge=other)).status_code == 404


def test_challenge_page_links_the_view_not_the_storage(client, attachment):
    registered = RegistrationFactory(challenge=attachment.challenge).user
    client.force_login(registered)
    page = client.get(reverse("challenge_detail", args=[attachment.challenge_id]))
    content = page.content.decode()
    assert url(attachment) in content
    assert attachment.file.name not in content
