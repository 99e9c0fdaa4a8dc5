"""Attachments are private files: streamed through this view after a permission check,
never from a public URL."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from marketplace.challenges.permissions import can_read_brief
from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.uploads import download_name, served_type


def attachment_download(request, pk: int, attachment_id: int):
    challenge = challenge_for_user(request.user, pk)
    if not can_read_brief(request.user, challenge):
        raise Http404
    attachment = get_object_or_404(challenge.attachments, pk=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.name, attachment.content_type),
        content_type=served_type(attachment.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
