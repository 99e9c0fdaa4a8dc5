"""Helpers for the tests of judges invited from outside the organisation: a person with
a verified address, and an invitation sent for real with the link's token read back
from the e-mail."""

import re

from allauth.account.models import EmailAddress
from django.core import mail

from marketplace.judging.invitations import judge_invitation_send
from tests.factories import UserFactory

LINK = re.compile(r"/seeker/judge-invitations/([\w-]+)/")


def verified_user(email: str | None = None, *, verified: bool = True, **fields):
    user = UserFactory(**({"email": email} if email else {}), **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def invite(capture, challenge, actor, email: str):
    """Send the invitation; (invitation, token, the e-mail)."""
    mail.outbox.clear()
    with capture(execute=True):
        invitation = judge_invitation_send(challenge_id=challenge.pk, actor=actor, email=email)
    (message,) = mail.outbox
    return invitation, LINK.search(message.body).group(1), message
