"""Files the Seeker attaches to a draft challenge's brief. Streamed to private
storage in chunks and hashed on the way; never served from a public URL. The type is
told from the content and the name kept ends in its extension; HTML and SVG only when
the challenge allows them."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.challenges.models import Attachment, Challenge, ChallengeState
from marketplace.challenges.permissions import is_editor
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.uploads import (
    markup_refused,
    markup_type,
    safe_name,
    sniff_content_type,
    stored_name,
    upload_head,
)

MAX_BYTES = 50 * 1024 * 1024
MAX_FILES = 10


NAME_LENGTH = Attachment._meta.get_field("name").max_length


def attachment_add(*, challenge_id: int, actor, upload: UploadedFile) -> Attachment:
    limit = getattr(settings, "ATTACHMENT_MAX_BYTES", MAX_BYTES)
    if upload.size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    if upload.size > limit:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}]}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    content_type = sniff_content_type(upload_head(upload))
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if not is_editor(actor, challenge):
            raise NotAllowed(_("Only owners and managers of the organisation can attach files."))
        if challenge.state != ChallengeState.DRAFT:
            raise IllegalTransition(
                _("Files can only be attached to a draft."),
                state=challenge.state,
                code="not_editable",
            )
        if challenge.attachments.count() >= MAX_FILES:
            raise ValidationError(
                {"file": [_("A challenge has at most %(n)s files.") % {"n": MAX_FILES}]}
            )
        markup = markup_type(upload.name, content_type)
        if markup and not challenge.allow_html_uploads:
            raise ValidationError({"file": [markup_refused(safe_name(upload.name), markup)]})
        name = stored_name(upload.name, content_type, NAME_LENGTH)
        attachment = Attachment(
            challenge=challenge,
            name=name,
            size=upload.size,
            sha256=digest.hexdigest(),
            content_type=content_type or "application/octet-stream",
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
    return attachment


def attachment_remove(*, attachment_id: int, actor) -> None:
    with transaction.atomic(durable=True):
        attachment = Attachment.objects.select_related("challenge").get(pk=attachment_id)
        if not is_editor(actor, attachment.challenge):
            raise NotAllowed(_("Only owners and managers of the organisation can remove files."))
        if attachment.challenge.state != ChallengeState.DRAFT:
            raise IllegalTransition(
                _("Files can only be removed from a draft."),
                state=attachment.challenge.state,
                code="not_editable",
            )
        stored = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored))
