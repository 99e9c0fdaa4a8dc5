"""Judges from outside the organisation: the owners invite a person by e-mail to judge
one challenge; accepting assigns them as that challenge's judge only (they do not join
the organisation). Invitations follow the rule for assigning judges: only until
judging ends. The e-mail carries the only copy of the link's token; the table keeps its
digest. Sending again to a pending address renews the same invitation with a new link."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.permissions import has_verified_email
from marketplace.challenges.events import challenge_event_record
from marketplace.challenges.models import Challenge
from marketplace.challenges.permissions import require_owner_or_staff
from marketplace.challenges.states import BEFORE_AWARDING
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.judging.models import JudgeAssignment, JudgeInvitation, token_digest
from marketplace.organisations.models import Membership

ANOTHER_ADDRESS = gettext_lazy(
    "This invitation was sent to another e-mail address. Sign in with the address it was "
    "sent to, once you have confirmed it, to accept it."
)


def _require_assignable(challenge: Challenge) -> None:
    if challenge.state not in BEFORE_AWARDING:
        raise IllegalTransition(
            _("Judges can no longer be changed: judging has ended."), state=challenge.state
        )


def invitation_refusal(invitation: JudgeInvitation | None) -> str | None:
    """Why the invitation's link cannot be used, or None when it can."""
    if invitation is None:
        return _(
            "This invitation link is not valid. Check that you opened the whole link from "
            "the e-mail."
        )
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn by the challenge's owners.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been accepted.")
    if invitation.is_expired:
        return _("This invitation has expired. Ask the challenge's owners to send a new one.")
    if invitation.challenge.state not in BEFORE_AWARDING:
        return _("Judging of this challenge has ended: judges can no longer be added.")
    return None


def judge_invitation_send(*, challenge_id: int, actor, email: str) -> JudgeInvitation:
    """An owner invites someone outside the organisation to judge the challenge. A
    member is refused (the owners assign members directly); sending again while the
    invitation is pending renews it instead of adding another."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    token = secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        require_owner_or_staff(actor, challenge)
        _require_assignable(challenge)
        if Membership.objects.filter(
            organization_id=challenge.organization_id, user__email__iexact=email
        ).exists():
            raise ValidationError(
                {
                    "email": [
                        _(
                            "%(email)s is a member of the organisation: assign them from "
                            "the organisation's judges instead (a manager first needs the "
                            "judge role)."
                        )
                        % {"email": email}
                    ]
                }
            )
        if challenge.judge_assignments.filter(judge__email__iexact=email).exists():
            raise ValidationError(
                {"email": [_("%(email)s already judges this challenge.") % {"email": email}]}
            )
        invitation = (
            JudgeInvitation.objects.select_for_update()
            .filter(challenge=challenge, email=email, accepted_at=None, revoked_at=None)
            .first()
        ) or JudgeInvitation(challenge=challenge, email=email)
        created = invitation.pk is None
        invitation.token_hash = token_digest(token)
        invitation.invited_by = actor
        invitation.language = actor.language
        invitation.expires_at = timezone.now() + timedelta(days=settings.JUDGE_INVITATION_DAYS)
        invitation.save()
        if created:
            challenge_event_record(
                challenge=challenge, actor=actor, name="judge_invite", details={"email": email}
            )
        transaction.on_commit(lambda: _mail_invitation(invitation, token))
    return invitation


def _mail_invitation(invitation: JudgeInvitation, token: str) -> None:
    """The invitation in the inviter's language: the invitee has no account yet."""
    with translation.override(invitation.language):
        context = {"invitation": invitation, "token": token, "site_url": settings.SITE_URL}
        subject = render_to_string("emails/judge_invitation_subject.txt", context).strip()
        body = render_to_string("emails/judge_invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


def judge_invitation_revoke(*, invitation_id: int, actor) -> JudgeInvitation:
    """An owner withdraws a pending invitation: its link stops working."""
    with transaction.atomic(durable=True):
        challenge_id = JudgeInvitation.objects.values_list("challenge_id", flat=True).get(
            pk=invitation_id
        )
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        require_owner_or_staff(actor, challenge)
        invitation = JudgeInvitation.objects.select_for_update().get(pk=invitation_id)
        if invitation.accepted_at is not None:
            raise ValidationError(
                _("This invitation was already accepted: remove the judge instead.")
            )
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            challenge_event_record(
                challenge=challenge,
                actor=actor,
                name="judge_invitation_revoke",
                details={"email": invitation.email},
            )
    return invitation


def judge_invitation_accept(*, token: str, user) -> JudgeAssignment:
    """The invited person, signed in with the invited address (verified), becomes a
    judge of that one challenge, without joining its organisation."""
    with transaction.atomic(durable=True):
        found = JudgeInvitation.objects.filter(token_hash=token_digest(token or "")).first()
        if found is not None:
            Challenge.objects.select_for_update().get(pk=found.challenge_id)
            found = JudgeInvitation.objects.select_for_update().get(pk=found.pk)
        refusal = invitation_refusal(found)
        if refusal:
            raise ValidationError({"token": [refusal]})
        invitation = found
        challenge = invitation.challenge
        if not has_verified_email(user, invitation.email):
            raise NotAllowed(str(ANOTHER_ADDRESS))
        if Membership.objects.filter(organization_id=challenge.organization_id, user=user).exists():
            raise ValidationError(
                {
                    "token": [
                        _(
                            "You are a member of the organisation: its owners can assign "
                            "you as a judge directly."
                        )
                    ]
                }
            )
        assignment, _created = JudgeAssignment.objects.get_or_create(
            challenge=challenge,
            judge=user,
            defaults={"assigned_by": invitation.invited_by, "outside": True},
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        challenge_event_record(
            challenge=challenge,
            actor=user,
            name="judge_invitation_accept",
            details={"judge": user.pk, "email": invitation.email},
        )
    return assignment
