"""Private submissions: create, edit (a new version each time), withdraw, all before the
deadline (the server's clock decides, to the second). Files are checked by size and by
content, stored privately under their SHA-256, and listed in every version's receipt."""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.core.effects import task_queue_after_commit
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.uploads import (
    MARKUP_TYPES,
    markup_refused,
    markup_type,
    safe_name,
    sniff_content_type,
    stored_name,
    upload_head,
)
from marketplace.participation.models import Registration
from marketplace.submissions.arrivals import entry_arrived
from marketplace.submissions.models import (
    Submission,
    SubmissionFile,
    SubmissionState,
    SubmissionVersion,
)
from marketplace.submissions.permissions import is_author
from marketplace.teams.rules import team_blockers

NAME_LENGTH = SubmissionFile._meta.get_field("name").max_length


def _check_open(challenge: Challenge) -> None:
    if challenge.state != ChallengeState.OPEN or timezone.now() >= challenge.submission_deadline:
        raise IllegalTransition(
            _("Submissions are closed for this challenge."), state=challenge.state, code="closed"
        )


def _check_text(title: str, abstract: str, body: str) -> dict:
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Give your submission a title.")]
    if not (abstract or "").strip():
        errors["abstract"] = [_("Write a short abstract.")]
    if not (body or "").strip():
        errors["body"] = [_("Describe your solution.")]
    if len(title or "") > 200:
        errors["title"] = [_("Keep the title under 200 characters.")]
    if errors:
        raise ValidationError(errors)
    return {"title": title.strip(), "abstract": abstract.strip(), "body": body.strip()}


def _check_files(
    uploads: list[UploadedFile], kept: int, *, allow_markup: bool
) -> list[tuple[UploadedFile, str]]:
    """Refuse empty, oversized, disguised or too many files, and HTML or SVG unless the
    challenge allows them; return (upload, type)."""
    if kept + len(uploads) > settings.SUBMISSION_MAX_FILES:
        raise ValidationError(
            {
                "files": [
                    _("A submission has at most %(n)s files.")
                    % {"n": settings.SUBMISSION_MAX_FILES}
                ]
            }
        )
    checked = []
    for upload in uploads:
        name = safe_name(upload.name)
        if upload.size > settings.SUBMISSION_MAX_FILE_BYTES:
            raise ValidationError(
                {
                    "files": [
                        _("%(name)s is larger than %(mb)s MB.")
                        % {"name": name, "mb": settings.SUBMISSION_MAX_FILE_BYTES // (1024 * 1024)}
                    ]
                }
            )
        if upload.size == 0:
            raise ValidationError({"files": [_("%(name)s is empty.") % {"name": name}]})
        content_type = sniff_content_type(upload_head(upload))
        markup = markup_type(upload.name, content_type)
        if markup and not allow_markup:
            raise ValidationError({"files": [markup_refused(name, markup)]})
        if content_type not in settings.SUBMISSION_ALLOWED_TYPES and not (
            allow_markup and content_type in MARKUP_TYPES
        ):
            raise ValidationError(
                {
                    "files": [
                        _(
                            "%(name)s is not an accepted kind of file (its content was checked, not its "
                            "name). Accepted: PDF, images, ZIP archives and plain text."
                        )
                        % {"name": name}
                    ]
                }
            )
        checked.append((upload, content_type))
    return checked


def _digest(upload: UploadedFile) -> str:
    known = getattr(upload, "sha256", None)
    if known:
        return known
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _store(submission: Submission, actor, checked) -> None:
    for upload, content_type in checked:
        stored = SubmissionFile(
            submission=submission,
            name=stored_name(upload.name, content_type, NAME_LENGTH),
            size=upload.size,
            sha256=_digest(upload),
            content_type=content_type,
            uploaded_by=actor,
        )
        stored.file.save(stored.name, upload, save=False)
        stored.save()


def _version(submission: Submission, actor, note: str = "") -> SubmissionVersion:
    files = [
        {
            "id": f.pk,
            "name": f.name,
            "size": f.size,
            "sha256": f.sha256,
            "content_type": f.content_type,
        }
        for f in submission.files.filter(removed_at__isnull=True).order_by("pk")
    ]
    canonical = json.dumps(
        {
            "title": submission.title,
            "abstract": submission.abstract,
            "body": submission.body,
            "files": [f["sha256"] for f in files],
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    number = submission.versions.count() + 1
    Submission.objects.filter(pk=submission.pk).update(version=number, sha256=sha)
    submission.version, submission.sha256 = number, sha
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        title=submission.title,
        abstract=submission.abstract,
        body=submission.body,
        files=files,
        sha256=sha,
        created_by=actor,
        note=note,
    )
    task_queue_after_commit("marketplace.tasks.send_submission_receipt", version.pk)
    return version


def submission_create(
    *,
    challenge_id: int,
    author,
    title: str,
    abstract: str,
    body: str,
    uploads: list[UploadedFile] = (),
    team_id: int | None = None,
) -> Submission:
    """Submit a solution, alone or (as the team's captain) for a team."""
    text = _check_text(title, abstract, body)
    allow_markup = (
        Challenge.objects.filter(pk=challenge_id)
        .values_list("allow_html_uploads", flat=True)
        .first()
    )
    checked = _check_files(list(uploads), kept=0, allow_markup=bool(allow_markup))
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if not Registration.objects.filter(challenge=challenge, user=author).exists():
            raise NotAllowed(_("Accept the challenge agreement before submitting."))
        _check_open(challenge)
        team = None
        if team_id is not None:
            team = challenge.teams.filter(pk=team_id).first()
            if team is None or team.captain_id != author.pk:
                raise NotAllowed(_("Only the team's captain submits for the team."))
            blockers = team_blockers(team)
            if blockers:
                raise ValidationError({"team": blockers})
            mine = challenge.submissions.filter(team=team)
        else:
            mine = challenge.submissions.filter(author=author, team__isnull=True)
        if (
            mine.filter(state=SubmissionState.ACTIVE).count()
            >= challenge.max_submissions_per_solver
        ):
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "You have reached this challenge's limit of %(n)s submissions; edit or withdraw one."
                        )
                        % {"n": challenge.max_submissions_per_solver}
                    ]
                }
            )
        submission = Submission.objects.create(
            challenge=challenge, author=author, team=team, sha256="", **text
        )
        _store(submission, author, checked)
        _version(submission, author)
        entry_arrived(submission=submission)
    return submission


def _editable(submission_id: int, actor) -> Submission:
    submission = (
        Submission.objects.select_for_update().select_related("challenge").get(pk=submission_id)
    )
    if not is_author(actor, submission):
        raise NotAllowed(_("Only the authors can change a submission."))
    _check_open(submission.challenge)
    if submission.state != SubmissionState.ACTIVE:
        raise IllegalTransition(
            _("This submission was withdrawn."), state=submission.state, code="withdrawn"
        )
    return submission


def submission_update(
    *,
    submission_id: int,
    actor,
    title: str,
    abstract: str,
    body: str,
    uploads: list[UploadedFile] = (),
    remove_file_ids: list[int] = (),
) -> Submission:
    """Save a new version; earlier versions and their files stay as they were."""
    text = _check_text(title, abstract, body)
    with transaction.atomic(durable=True):
        submission = _editable(submission_id, actor)
        current = submission.files.filter(removed_at__isnull=True)
        removing = current.filter(pk__in=list(remove_file_ids))
        checked = _check_files(
            list(uploads),
            kept=current.count() - removing.count(),
            allow_markup=submission.challenge.allow_html_uploads,
        )
        removing.update(removed_at=timezone.now())
        for name, value in text.items():
            setattr(submission, name, value)
        submission.save(update_fields=[*text, "updated_at"])
        _store(submission, actor, checked)
        _version(submission, actor)
    return submission


def submission_withdraw(*, submission_id: int, actor) -> Submission:
    with transaction.atomic(durable=True):
        submission = _editable(submission_id, actor)
        submission.state = SubmissionState.WITHDRAWN
        submission.withdrawn_at = timezone.now()
        submission.save(update_fields=["state", "withdrawn_at", "updated_at"])
        _version(submission, actor, note="withdrawn")
    return submission
