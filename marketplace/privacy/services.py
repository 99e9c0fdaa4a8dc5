"""Writes about a person's own data: asking for an export, building it (the task's
work) and erasing the person.

Erasure anonymises the account and removes what only served the person (their e-mail
addresses, sessions and API tokens, notifications and their preferences, follows,
memberships, invitations not taken up, payout destinations, exports). It keeps what the
law or the other party relies on, untouched
(the database refuses changes to them anyway): ledger entries and payouts, agreement
acceptances, signed deeds as signed, tax forms, certificates as issued, and entries
with their receipts. Front doors that keep more about a person erase it through
settings.PERSONAL_DATA_ERASERS: dotted paths of callables taking the anonymised user."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from marketplace.accounts.models import User
from marketplace.awards.models import AwardRecipient
from marketplace.challenges.states import SETTLED
from marketplace.core.effects import task_queue_after_commit
from marketplace.core.errors import IllegalTransition
from marketplace.core.mail import mail_user
from marketplace.judging.models import JudgeInvitation
from marketplace.notifications.models import (
    Notification,
    NotificationPreference,
    OrganizationFollow,
)
from marketplace.organisations.models import Invitation, Membership
from marketplace.organisations.roles import OrgRole
from marketplace.privacy.archive import archive_delete, archive_store
from marketplace.privacy.links import export_token
from marketplace.privacy.models import PrivacyRequest, PrivacyRequestKind, PrivacyRequestState
from payouts.models import PayoutAccount

KIND = PrivacyRequestKind
STATE = PrivacyRequestState
BUILD_TASK = "marketplace.tasks.build_personal_export"
# An export still pending after this long failed to build: asking again is allowed.
EXPORT_STALE = timedelta(hours=1)


def personal_export_request(*, user: User) -> PrivacyRequest:
    """Ask for an archive of one's data; it is built in the background and e-mailed as
    a link. One export at a time: refused while the last one is being prepared (unless
    it has been pending so long that its build must have failed)."""
    with transaction.atomic(durable=True):
        User.objects.select_for_update().get(pk=user.pk)
        stale = timezone.now() - EXPORT_STALE
        _exports_retire(user_id=user.pk, state=STATE.PENDING, requested_at__lte=stale)
        pending = PrivacyRequest.objects.filter(user=user, kind=KIND.EXPORT, state=STATE.PENDING)
        if pending.exists():
            raise IllegalTransition(
                _("Your data is already being prepared. You will receive an e-mail shortly."),
                state=STATE.PENDING,
                code="export_pending",
            )
        row = PrivacyRequest.objects.create(user=user, kind=KIND.EXPORT)
        task_queue_after_commit(BUILD_TASK, row.pk)
    return row


def _exports_retire(**filters) -> list[str]:
    """Mark the exports matching `filters` expired; their files, to delete after
    commit."""
    rows = list(PrivacyRequest.objects.select_for_update().filter(kind=KIND.EXPORT, **filters))
    names = [row.archive.name for row in rows if row.archive]
    for row in rows:
        row.state = STATE.EXPIRED
        row.archive = ""
        row.save(update_fields=["state", "archive"])
    return names


def _files_delete_after_commit(names: list[str]) -> None:
    transaction.on_commit(lambda: [archive_delete(name) for name in names])


def personal_export_build(*, request_id: int) -> bool:
    """Build a pending export, keep it, retire the earlier ones and e-mail the link.
    False when there was nothing to do (built already, or the person was erased)."""
    row = PrivacyRequest.objects.select_related("user").get(pk=request_id)
    if row.state != STATE.PENDING:
        return False
    name = archive_store(row.user)
    with transaction.atomic(durable=True):
        row = PrivacyRequest.objects.select_for_update().select_related("user").get(pk=request_id)
        if row.state != STATE.PENDING:
            _files_delete_after_commit([name])
            return False
        _files_delete_after_commit(_exports_retire(user_id=row.user_id, state=STATE.READY))
        now = timezone.now()
        row.state = STATE.READY
        row.archive = name
        row.completed_at = now
        row.expires_at = now + timedelta(days=settings.PERSONAL_DATA_LINK_DAYS)
        row.save(update_fields=["state", "archive", "completed_at", "expires_at"])
        url = settings.SITE_URL + reverse("personal_export_download", args=[export_token(row.pk)])
        context = {"url": url, "expires_at": row.expires_at}
        user = row.user
        transaction.on_commit(lambda: mail_user(user, "emails/personal_export", context))
    return True


def personal_exports_expire() -> int:
    """The beat's sweep: exports whose link has expired lose their archive (the row
    stays, as the record of the request). How many expired."""
    with transaction.atomic(durable=True):
        names = _exports_retire(state=STATE.READY, expires_at__lte=timezone.now())
        _files_delete_after_commit(names)
    return len(names)


def erasure_refusals(user: User) -> list[str]:
    """Why the person cannot be erased now; empty when they can."""
    refusals = []
    unsettled = AwardRecipient.objects.filter(user=user).exclude(award__state__in=SETTLED)
    if unsettled.exists():
        refusals.append(
            _(
                "You have a prize that is not settled yet. Once it is paid (or declined), "
                "you can ask again."
            )
        )
    owned = Membership.objects.filter(user=user, role=OrgRole.OWNER).annotate(
        owners=Count(
            "organization__memberships", filter=Q(organization__memberships__role=OrgRole.OWNER)
        )
    )
    for membership in owned.filter(owners=1).select_related("organization"):
        refusals.append(
            _("You are the only owner of %(organisation)s. Make someone else an owner first.")
            % {"organisation": membership.organization.name}
        )
    return refusals


def _sessions_end(user_id: int) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            session.delete()


def personal_data_erase(*, user: User, password: str, confirmation: str) -> PrivacyRequest:
    """Erase the person (see the module's description) once they re-enter their
    password and type their e-mail address. Refused while a prize of theirs is not
    settled or they alone own an organisation."""
    errors = {}
    if confirmation.strip().casefold() != user.email.casefold():
        errors["confirmation"] = [_("Type your e-mail address exactly as shown.")]
    if not user.check_password(password):
        errors["password"] = [_("The password is not correct.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        refusals = erasure_refusals(user)
        if refusals:
            raise IllegalTransition(" ".join(refusals), state="active", code="erasure_refused")
        email = user.email
        files = _exports_retire(user_id=user.pk, state__in=[STATE.PENDING, STATE.READY])
        EmailAddress.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
        Notification.objects.filter(user=user).delete()
        OrganizationFollow.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        Membership.objects.filter(user=user).delete()
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).delete()
        JudgeInvitation.objects.filter(email__iexact=email, accepted_at__isnull=True).delete()
        PayoutAccount.objects.filter(user=user).delete()
        user.full_name = f"Deleted user {user.pk}"
        user.email = f"deleted-{user.pk}@invalid"
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["full_name", "email", "is_active", "password"])
        for path in settings.PERSONAL_DATA_ERASERS:
            import_string(path)(user)
        _sessions_end(user.pk)
        row = PrivacyRequest.objects.create(
            user=user, kind=KIND.ERASURE, state=STATE.DONE, completed_at=timezone.now()
        )
        _files_delete_after_commit(files)
    return row
