"""One challenge's management page: content, history, deadline extension, attachments."""

from datetime import UTC, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.challenges.models import Attachment, Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_transition
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def manage_url(challenge) -> str:
    return reverse("seekers:challenge_manage", args=[challenge.pk])


def extend_url(challenge) -> str:
    return reverse("seekers:challenge_extend", args=[challenge.pk])


def upload_url(challenge) -> str:
    return reverse("seekers:attachment_upload", args=[challenge.pk])


def local(dt) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def deadline_of(challenge):
    return Challenge.objects.get(pk=challenge.pk).submission_deadline


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def awaiting(org):
    return ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)


class TestPage:
    def test_shows_content_plan_history_and_actions(self, client, draft, owner, staff):
        challenge_transition(challenge_id=draft.pk, name="submit", actor=owner)
        challenge_transition(
            challenge_id=draft.pk,
            name="return_to_draft",
            actor=staff,
            reason="Say what the film is for.",
        )
        ChallengeEvent.objects.create(
            challenge=draft, actor=None, name="close", from_state=S.OPEN, to_state=S.CLOSED
        )
        client.force_login(owner)
        content = client.get(manage_url(draft)).content.decode()
        for text in (
            draft.title,
            draft.summary,
            "<h2>Background</h2>",
            "<strong>film</strong>",
            "Degrades in sea water",
            "$25,000.00 (100% of the prize pool)",
            "Exclusive IP transfer",
            "Submit for review",
            "Submitted for review",
            "Say what the film is for.",
            "Returned to draft",
            "Closed to new entries",
            "In review",
            "system",
            reverse("seekers:challenge_edit", args=[draft.pk]),
        ):
            assert text in content

    def test_judge_sees_the_challenge_but_no_tools(self, client, draft, judge):
        client.force_login(judge)
        content = client.get(manage_url(draft)).content.decode()
        assert draft.title in content
        assert reverse("seekers:challenge_edit", args=[draft.pk]) not in content
        assert upload_url(draft) not in content
        assert "Nothing for you to do now." in content

    def test_staff_may_view(self, client, draft, staff):
        client.force_login(staff)
        assert draft.title in client.get(manage_url(draft)).content.decode()

    @pytest.mark.parametrize("state", [S.DRAFT, S.OPEN])
    @pytest.mark.parametrize("who", ["outsider", "solver"])
    def test_non_members_get_404(self, client, request, org, who, state):
        challenge = ChallengeFactory(organization=org, state=state)
        client.force_login(request.getfixturevalue(who))
        assert client.get(manage_url(challenge)).status_code == 404


class TestExtendDeadline:
    def test_form_only_while_awaiting_funding_or_open(self, client, draft, awaiting, owner):
        client.force_login(owner)
        assert extend_url(draft) not in client.get(manage_url(draft)).content.decode()
        assert extend_url(awaiting) in client.get(manage_url(awaiting)).content.decode()

    def test_extends_and_logs(self, client, awaiting, owner):
        client.force_login(owner)
        later = awaiting.submission_deadline + timedelta(days=7)
        response = client.post(
            extend_url(awaiting),
            {"submission_deadline": local(later), "reason": "More time."},
            follow=True,
        )
        saved = Challenge.objects.get(pk=awaiting.pk)
        assert local(saved.submission_deadline) == local(later)
        assert saved.judging_deadline - awaiting.judging_deadline == (
            saved.submission_deadline - awaiting.submission_deadline
        )
        assert "The deadline was extended." in messages_of(response)
        event = ChallengeEvent.objects.get()
        assert (event.name, event.reason, event.actor) == ("extend_deadline", "More time.", owner)

    def test_shortening_is_refused_next_to_the_field(self, client, awaiting, owner):
        client.force_login(owner)
        earlier = awaiting.submission_deadline - timedelta(days=7)
        response = client.post(extend_url(awaiting), {"submission_deadline": local(earlier)})
        assert response.status_code == 400
        assert response.context["extend_form"].errors["submission_deadline"] == [
            "A deadline can only be extended: choose a time after the current deadline."
        ]
        assert deadline_of(awaiting) == awaiting.submission_deadline
        assert not ChallengeEvent.objects.exists()

    def test_judge_is_refused(self, client, awaiting, judge):
        client.force_login(judge)
        later = awaiting.submission_deadline + timedelta(days=7)
        response = client.post(
            extend_url(awaiting), {"submission_deadline": local(later)}, follow=True
        )
        assert "You do not have the role needed for this action." in messages_of(response)
        assert deadline_of(awaiting) == awaiting.submission_deadline

    def test_draft_is_refused(self, client, draft, owner):
        client.force_login(owner)
        later = draft.submission_deadline + timedelta(days=7)
        response = client.post(
            extend_url(draft), {"submission_deadline": local(later)}, follow=True
        )
        assert (
            "The deadline can only be extended while the challenge is awaiting funding or open."
            in messages_of(response)
        )
        assert deadline_of(draft) == draft.submission_deadline


class TestAttachments:
    def test_upload_list_and_remove_while_draft(self, client, draft, owner):
        client.force_login(owner)
        page = client.get(manage_url(draft)).content.decode()
        assert 'enctype="multipart/form-data"' in page
        upload = SimpleUploadedFile("spec sheet.pdf", b"%PDF-1.4 hello", "application/pdf")
        response = client.post(upload_url(draft), {"file": upload}, follow=True)
        attachment = Attachment.objects.get()
        assert (attachment.name, attachment.size, attachment.uploaded_by) == (
            "spec sheet.pdf",
            14,
            owner,
        )
        assert "“spec sheet.pdf” attached." in messages_of(response)
        assert reverse("attachment_download", args=[draft.pk, attachment.pk]) in (
            response.content.decode()
        )
        remove = reverse("seekers:attachment_remove", args=[draft.pk, attachment.pk])
        client.post(remove)
        assert not Attachment.objects.exists()

    def test_empty_file_is_refused_next_to_the_field(self, client, draft, owner):
        client.force_login(owner)
        response = client.post(upload_url(draft), {"file": SimpleUploadedFile("a.txt", b"")})
        assert response.status_code == 400
        assert "file" in response.context["attachment_form"].errors
        assert not Attachment.objects.exists()

    def test_not_while_in_review(self, client, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
        client.force_login(owner)
        assert upload_url(challenge) not in client.get(manage_url(challenge)).content.decode()
        response = client.post(
            upload_url(challenge), {"file": SimpleUploadedFile("a.txt", b"data")}, follow=True
        )
        assert "Files can only be attached to a draft." in messages_of(response)
        assert not Attachment.objects.exists()

    def test_judge_cannot_upload(self, client, draft, judge):
        client.force_login(judge)
        response = client.post(
            upload_url(draft), {"file": SimpleUploadedFile("a.txt", b"data")}, follow=True
        )
        assert "Only owners and managers of the organisation can attach files." in (
            messages_of(response)
        )
        assert not Attachment.objects.exists()
