"""Writes for Seeker organisations: founding one, inviting members, roles."""

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.core.errors import LimitReached, NotAllowed
from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.organisations.roles import OrgRole

DAY = timedelta(days=1)


def _require_owner(actor, organization_id: int) -> None:
    if not Membership.objects.filter(
        organization_id=organization_id, user=actor, role=OrgRole.OWNER
    ).exists():
        raise NotAllowed(_("Only an owner of the organisation can do this."))


def organization_create(
    *, name: str, owner, description: str = "", website: str = ""
) -> Organization:
    """Found an organisation; its founder becomes its first owner."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the organisation a name.")]})
    if len(name) > 200:
        raise ValidationError({"name": [_("Keep the name under 200 characters.")]})
    try:
        with transaction.atomic(durable=True):
            org = Organization.objects.create(
                name=name, description=description.strip(), website=website.strip()
            )
            Membership.objects.create(organization=org, user=owner, role=OrgRole.OWNER)
    except IntegrityError:
        raise ValidationError(
            {"name": [_("An organisation with this name already exists.")]}
        ) from None
    return org


def invitation_send(*, organization_id: int, actor, email: str, role: str) -> Invitation:
    """An owner invites someone by e-mail; the mail goes out after commit. An address
    with a pending invitation to the organisation gets that one renewed (new role, sent
    again: `times_sent` grows), at most once a day; an organisation sends at most
    ORGANISATION_INVITATIONS_PER_DAY invitations in any 24 hours."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    if role not in OrgRole.values:
        raise ValidationError({"role": [_("Choose owner, manager or judge.")]})
    with transaction.atomic(durable=True):
        _require_owner(actor, organization_id)
        # One invitation at a time per organisation: the checks below see every send.
        Organization.objects.select_for_update().filter(pk=organization_id).first()
        if Membership.objects.filter(organization_id=organization_id, user__email=email).exists():
            raise ValidationError({"email": [_("This person is already a member.")]})
        now = timezone.now()
        pending = Invitation.objects.filter(
            organization_id=organization_id, email=email, accepted_at__isnull=True
        ).first()
        if pending is not None and pending.sent_at > now - DAY:
            raise LimitReached(
                _(
                    "%(email)s was invited less than a day ago and that invitation is "
                    "still valid; it can be sent again after a day."
                )
                % {"email": email},
                code="already_invited",
                retry_after=_seconds_until(pending.sent_at + DAY, now),
            )
        _within_daily_cap(organization_id, now)
        if pending is None:
            invitation = Invitation.objects.create(
                organization_id=organization_id, email=email, role=role, invited_by=actor
            )
        else:
            invitation = pending
            invitation.role, invitation.invited_by, invitation.sent_at = role, actor, now
            invitation.times_sent += 1
            invitation.save(update_fields=["role", "invited_by", "sent_at", "times_sent"])
        transaction.on_commit(lambda: _mail_invitation(invitation))
    return invitation


def _within_daily_cap(organization_id: int, now) -> None:
    sent = list(
        Invitation.objects.filter(organization_id=organization_id, sent_at__gt=now - DAY)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
    )
    cap = settings.ORGANISATION_INVITATIONS_PER_DAY
    if len(sent) >= cap:
        raise LimitReached(
            ngettext(
                "Your organisation has sent %(cap)d invitation in the last 24 hours, the "
                "most allowed; try again later.",
                "Your organisation has sent %(cap)d invitations in the last 24 hours, the "
                "most allowed; try again later.",
                cap,
            )
            % {"cap": cap},
            code="invitation_limit",
            retry_after=_seconds_until(sent[cap - 1] + DAY, now),
        )


def _seconds_until(moment, now) -> int:
    return math.ceil((moment - now).total_seconds())


def _mail_invitation(invitation: Invitation) -> None:
    context = {"invitation": invitation, "site_url": settings.SITE_URL}
    subject = render_to_string("emails/invitation_subject.txt", context).strip()
    body = render_to_string("emails/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


def invitation_accept(*, token: str, user) -> Membership:
    """The invited person, signed in with the invited address, joins with the role."""
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None or invitation.accepted_at is not None:
            raise ValidationError({"token": [_("This invitation is not valid any more.")]})
        if invitation.email != user.email.lower():
            raise NotAllowed(_("This invitation was sent to another e-mail address."))
        membership, _created = Membership.objects.get_or_create(
            organization_id=invitation.organization_id,
            user=user,
            defaults={"role": invitation.role},
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def membership_change_role(*, membership_id: int, actor, role: str) -> Membership:
    if role not in OrgRole.values:
        raise ValidationError({"role": [_("Choose owner, manager or judge.")]})
    with transaction.atomic(durable=True):
        membership = Membership.objects.select_for_update().get(pk=membership_id)
        _require_owner(actor, membership.organization_id)
        _keep_an_owner(membership, new_role=role)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership_id: int, actor) -> None:
    with transaction.atomic(durable=True):
        membership = Membership.objects.select_for_update().get(pk=membership_id)
        _require_owner(actor, membership.organization_id)
        _keep_an_owner(membership, new_role=None)
        membership.delete()


def _keep_an_owner(membership: Membership, *, new_role: str | None) -> None:
    if membership.role == OrgRole.OWNER and new_role != OrgRole.OWNER:
        owners = Membership.objects.filter(
            organization_id=membership.organization_id, role=OrgRole.OWNER
        ).count()
        if owners <= 1:
            raise ValidationError({"role": [_("An organisation needs at least one owner.")]})
