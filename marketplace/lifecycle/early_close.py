"""Closing early once entries exist: the owner asks staff with a reason (a pending
request, one at a time), staff approve it (the `close_early` transition, taken by the
staff member with the owner's reason) or refuse it with a note the owner is told. Each
step is in the challenge's history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.conditions import EARLY_CLOSE_REASON_MAX
from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_owner
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.lifecycle.models import EarlyCloseRequest, EarlyCloseState
from marketplace.lifecycle.services import transition_apply
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send


def _text(value: str, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [missing]})
    if len(value) > EARLY_CLOSE_REASON_MAX:
        raise ValidationError(
            {field: [_("Keep it to %(n)s characters or fewer.") % {"n": EARLY_CLOSE_REASON_MAX}]}
        )
    return value


def early_close_request(*, challenge_id: int, actor, reason: str) -> EarlyCloseRequest:
    """The owner asks staff to close an open challenge that has entries."""
    reason = _text(reason, "reason", _("Say why the challenge should close early."))
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if not is_owner(actor, challenge):
            raise NotAllowed(_("Only an owner of the organisation can ask to close early."))
        if challenge.state != ChallengeState.OPEN:
            raise IllegalTransition(
                _("Only an open challenge can be closed early."),
                state=challenge.state,
                code="not_open",
            )
        if not challenge.submissions.active().exists():
            raise IllegalTransition(
                _("No entry has been submitted: you can close the challenge early yourself."),
                state=challenge.state,
                code="no_entries",
            )
        if challenge.early_close_requests.filter(state=EarlyCloseState.PENDING).exists():
            raise IllegalTransition(
                _("A request to close early is already waiting for staff."),
                state=challenge.state,
                code="already_requested",
            )
        request = EarlyCloseRequest.objects.create(
            challenge=challenge, requested_by=actor, reason=reason
        )
        challenge_event_record(
            challenge=challenge,
            actor=actor,
            name="early_close_request",
            reason=reason,
            details={"request": request.pk},
        )
    return request


def _locked_pending(request_id: int, actor) -> tuple[EarlyCloseRequest, Challenge]:
    """The request and its challenge, locked (challenge first, as when asking); refused
    unless the actor is staff and the request still waits."""
    if not is_staff(actor):
        raise NotAllowed(_("Only staff can decide on a request to close early."))
    challenge_id = EarlyCloseRequest.objects.values_list("challenge_id", flat=True).get(
        pk=request_id
    )
    challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
    request = EarlyCloseRequest.objects.select_for_update().get(pk=request_id)
    if request.state != EarlyCloseState.PENDING:
        raise IllegalTransition(
            _("This request has already been decided."),
            state=challenge.state,
            code="already_decided",
        )
    return request, challenge


def _decide(request: EarlyCloseRequest, actor, state: str, note: str = "") -> None:
    request.state = state
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.note = note
    request.save(update_fields=["state", "decided_by", "decided_at", "note"])


def early_close_approve(*, request_id: int, actor) -> EarlyCloseRequest:
    """Staff approve: the challenge closes early now, with the owner's reason."""
    with transaction.atomic(durable=True):
        request, challenge = _locked_pending(request_id, actor)
        transition_apply(
            challenge=challenge,
            name="close_early",
            actor=actor,
            reason=request.reason,
            details={"request": request.pk, "requested_by": request.requested_by_id},
        )
        _decide(request, actor, EarlyCloseState.APPROVED)
    return request


def early_close_refuse(*, request_id: int, actor, note: str) -> EarlyCloseRequest:
    """Staff refuse, with a note: the challenge stays open and the owner who asked is
    told why."""
    note = _text(note, "note", _("Tell the owner why the request is refused."))
    with transaction.atomic(durable=True):
        request, challenge = _locked_pending(request_id, actor)
        _decide(request, actor, EarlyCloseState.REFUSED, note)
        challenge_event_record(
            challenge=challenge,
            actor=actor,
            name="early_close_refuse",
            reason=note,
            details={"request": request.pk},
        )
        notifications_send(
            kind=NotificationKind.EARLY_CLOSE_REFUSED,
            users=[request.requested_by],
            key=f"early_close:{request.pk}",
            challenge=challenge,
            params={"note": note},
        )
    return request
