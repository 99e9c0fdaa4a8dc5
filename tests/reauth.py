"""Sessions re-authenticated (or not) the way allauth records it: pages that change
payout details, tax forms or memberships ask again unless the password (and second
factor) was given in the last few minutes."""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY as RECORDS_USER_KEY,
)
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY as RECORDS_KEY
from django.test import Client

_force_login = Client.force_login


def mark_reauthenticated(client, user, *, seconds_ago: float = 0) -> None:
    session = client.session
    session[RECORDS_USER_KEY] = str(user.pk)
    session[RECORDS_KEY] = [
        {"method": "password", "at": time.time() - seconds_ago, "reauthenticated": True}
    ]
    session.save()


def forget_reauthentication(client) -> None:
    session = client.session
    session.pop(RECORDS_KEY, None)
    session.save()


def force_login_reauthenticated(self, user, backend=None):
    """`Client.force_login` for tests about something else: the person also just
    re-authenticated, so sensitive pages do not ask again."""
    _force_login(self, user, backend)
    mark_reauthenticated(self, user)
