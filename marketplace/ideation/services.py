"""Writes of open ideation: supporting an idea and taking the support back, comments,
reports, and staff hiding an idea or a comment.

A support is one row per person and idea (the constraint `support_once`, written with
INSERT ... ON CONFLICT DO NOTHING, so a second one is told apart without an error); the
idea's count changes in the same transaction with an F() update, which locks the idea's row,
so concurrent supporters are all counted. The threshold fires once: the conditional
update `threshold_reached_at IS NULL AND supports >= threshold` succeeds for exactly
one transaction, which then notifies the challenge's owners and managers and logs the event."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.permissions import has_any_verified_email, is_staff
from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.permissions import is_member
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.ideation.models import COMMENT_MAX, REASON_MAX, Comment, Idea, Report, Support
from marketplace.ideation.permissions import can_read_idea, shows_ideas, supports_open
from marketplace.ideation.throttles import support_throttle
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.organisations.selectors import editors_of
from marketplace.submissions.models import Submission, SubmissionState
from marketplace.submissions.permissions import is_author


def _idea(submission_id: int) -> Submission:
    try:
        return Submission.objects.select_related("challenge", "idea").get(pk=submission_id)
    except Submission.DoesNotExist:
        raise ValidationError({"idea": [_("There is no such idea.")]}) from None


def _require_verified(user) -> None:
    if not has_any_verified_email(user):
        raise NotAllowed(_("Verify your e-mail address before supporting or commenting."))


def _supportable(submission: Submission, user) -> None:
    challenge = submission.challenge
    if not challenge.open_ideation:
        raise IllegalTransition(
            _("This challenge's entries are sealed: they cannot be supported."),
            state=challenge.state,
            code="sealed",
        )
    if not can_read_idea(user, submission):
        raise ValidationError({"idea": [_("There is no such idea.")]})
    if getattr(submission, "idea", None) is not None and submission.idea.hidden_at:
        raise IllegalTransition(
            _("This idea was hidden by staff: it cannot be supported."),
            state=challenge.state,
            code="hidden",
        )
    if not supports_open(challenge):
        raise IllegalTransition(
            _("The deadline has passed: support is closed."),
            state=challenge.state,
            code="closed",
        )
    if is_author(user, submission):
        raise NotAllowed(_("You cannot support your own idea."))
    if is_member(user, challenge):
        raise NotAllowed(
            _("Members of the Seeker organisation cannot support ideas in their own challenge.")
        )


def _ensure_idea_row(submission_id: int) -> None:
    Idea.objects.bulk_create([Idea(submission_id=submission_id)], ignore_conflicts=True)


def idea_support(*, submission_id: int, user, ip: str | None = None) -> int:
    """Support the idea once; returns its support count after this one. Refused (no
    change): not verified, own idea, twice, after the deadline, hidden, sealed, or
    too fast."""
    _require_verified(user)
    submission = _idea(submission_id)
    _supportable(submission, user)
    support_throttle(user_id=user.pk, ip=ip)
    challenge = submission.challenge
    with transaction.atomic(durable=True):
        if getattr(submission, "idea", None) is None:  # the idea's first support
            _ensure_idea_row(submission.pk)
        if not _support_insert(submission.pk, user.pk):
            raise IllegalTransition(
                _("You already support this idea."), state=challenge.state, code="supported"
            )
        counted = Idea.objects.filter(pk=submission.pk, hidden_at__isnull=True).update(
            supports=F("supports") + 1
        )
        if not counted:  # hidden since it was read
            raise IllegalTransition(
                _("This idea was hidden by staff: it cannot be supported."),
                state=challenge.state,
                code="hidden",
            )
        # The row is locked by the update above until commit: this reads its count now.
        supports, reached = Idea.objects.values_list("supports", "threshold_reached_at").get(
            pk=submission.pk
        )
        if reached is None and supports >= challenge.support_threshold:
            _threshold_reached(submission, challenge)
        return supports


def _support_insert(submission_id: int, user_id: int) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: True when the row is new, False when the person
    already supports the idea (also when a concurrent request of theirs won)."""
    quote = connection.ops.quote_name
    table = quote(Support._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('submission_id')}, {quote('user_id')}, "
            f"{quote('created_at')}) VALUES (%s, %s, %s) "
            f"ON CONFLICT ({quote('user_id')}, {quote('submission_id')}) DO NOTHING "
            f"RETURNING {quote('id')}",
            [submission_id, user_id, timezone.now()],
        )
        return cursor.fetchone() is not None


def _threshold_reached(submission: Submission, challenge) -> None:
    """Mark the idea for review once: the conditional update succeeds for exactly one
    transaction, which logs it and notifies the challenge's owners and managers."""
    crossed = Idea.objects.filter(
        pk=submission.pk,
        threshold_reached_at__isnull=True,
        supports__gte=challenge.support_threshold,
    ).update(threshold_reached_at=timezone.now())
    if not crossed:
        return
    challenge_event_record(
        challenge=challenge,
        actor=None,
        name="idea_threshold_reached",
        details={"submission": submission.pk, "threshold": challenge.support_threshold},
    )
    notifications_send(
        kind=NotificationKind.IDEA_THRESHOLD_REACHED,
        users=editors_of(challenge.organization_id),
        key=f"idea:{submission.pk}",
        challenge=challenge,
        params={"submission": submission.pk, "threshold": challenge.support_threshold},
    )


def idea_support_withdraw(*, submission_id: int, user) -> int:
    """Take one's support back (until the deadline); returns the count after. A
    threshold once reached stays reached."""
    submission = _idea(submission_id)
    challenge = submission.challenge
    if not supports_open(challenge):
        raise IllegalTransition(
            _("The deadline has passed: support is closed."), state=challenge.state, code="closed"
        )
    with transaction.atomic(durable=True):
        removed, _kinds = Support.objects.filter(submission=submission, user=user).delete()
        if not removed:
            raise IllegalTransition(
                _("You do not support this idea."), state=challenge.state, code="not_supported"
            )
        Idea.objects.filter(pk=submission.pk).update(supports=F("supports") - 1)
        return Idea.objects.values_list("supports", flat=True).get(pk=submission.pk)


def _check_length(field: str, text: str, limit: int, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: [empty_message]})
    if len(text) > limit:
        raise ValidationError(
            {
                field: [
                    _("At most %(max)d characters (%(length)d given).")
                    % {"max": limit, "length": len(text)}
                ]
            }
        )
    return text


def idea_comment(*, submission_id: int, author, body: str) -> Comment:
    """Comment on a public idea (Markdown, shown sanitised)."""
    _require_verified(author)
    body = _check_length("body", body, COMMENT_MAX, _("Write your comment."))
    submission = _idea(submission_id)
    if not submission.challenge.open_ideation:
        raise IllegalTransition(
            _("This challenge's entries are sealed: they cannot be commented on."),
            state=submission.challenge.state,
            code="sealed",
        )
    if not can_read_idea(author, submission):
        raise ValidationError({"idea": [_("There is no such idea.")]})
    if getattr(submission, "idea", None) is not None and submission.idea.hidden_at:
        raise IllegalTransition(
            _("This idea was hidden by staff: it cannot be commented on."),
            state=submission.challenge.state,
            code="hidden",
        )
    with transaction.atomic(durable=True):
        return Comment.objects.create(submission=submission, author=author, body=body)


def idea_report(
    *, submission_id: int, reporter, reason: str, comment_id: int | None = None
) -> Report:
    """Ask staff to look at an idea or one of its comments."""
    if not getattr(reporter, "is_authenticated", False):
        raise NotAllowed(_("Sign in to report."))
    reason = _check_length("reason", reason, REASON_MAX, _("Say what is wrong."))
    submission = _idea(submission_id)
    if not can_read_idea(reporter, submission):
        raise ValidationError({"idea": [_("There is no such idea.")]})
    comment = None
    if comment_id is not None:
        comment = submission.comments.filter(pk=comment_id).first()
        if comment is None:
            raise ValidationError({"comment": [_("There is no such comment.")]})
    with transaction.atomic(durable=True):
        return Report.objects.create(
            submission=submission, comment=comment, reporter=reporter, reason=reason
        )


def _require_staff(actor) -> None:
    if not is_staff(actor):
        raise NotAllowed(_("Only staff can hide ideas and comments."))


def idea_hide(*, submission_id: int, actor, reason: str) -> Idea:
    """Staff hide an idea from the public, with a reason its authors read. Its open
    reports are resolved."""
    _require_staff(actor)
    reason = _check_length("reason", reason, REASON_MAX, _("Say why it is hidden."))
    submission = _idea(submission_id)
    if not shows_ideas(submission.challenge) or submission.state != SubmissionState.ACTIVE:
        raise ValidationError({"idea": [_("There is no such idea.")]})
    with transaction.atomic(durable=True):
        _ensure_idea_row(submission.pk)
        idea = Idea.objects.select_for_update().get(pk=submission.pk)
        now = timezone.now()
        idea.hidden_at, idea.hidden_reason, idea.hidden_by = now, reason, actor
        idea.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        Report.objects.filter(submission=submission, comment__isnull=True).filter(
            resolved_at__isnull=True
        ).update(resolved_at=now)
        challenge_event_record(
            challenge=submission.challenge,
            actor=actor,
            name="idea_hidden",
            reason=reason,
            details={"submission": submission.pk},
        )
    return idea


def comment_hide(*, comment_id: int, actor, reason: str) -> Comment:
    """Staff hide a comment, with a reason its author reads."""
    _require_staff(actor)
    reason = _check_length("reason", reason, REASON_MAX, _("Say why it is hidden."))
    with transaction.atomic(durable=True):
        comment = (
            Comment.objects.select_for_update()
            .select_related("submission__challenge")
            .filter(pk=comment_id)
            .first()
        )
        if comment is None:
            raise ValidationError({"comment": [_("There is no such comment.")]})
        now = timezone.now()
        comment.hidden_at, comment.hidden_reason, comment.hidden_by = now, reason, actor
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
        challenge_event_record(
            challenge=comment.submission.challenge,
            actor=actor,
            name="comment_hidden",
            reason=reason,
            details={"submission": comment.submission_id, "comment": comment.pk},
        )
    return comment
