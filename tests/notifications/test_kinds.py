"""The registry of notification kinds: every kind is worded once, by the domain that
sends it, and a kind nobody words fails loudly instead of saying something wrong."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from marketplace.notifications.kinds import Message, notice, notification_message, worded_kinds
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K


def test_every_kind_is_worded_and_nothing_else():
    assert worded_kinds() == set(K.values)


def test_a_kind_nobody_words_fails_loudly():
    with pytest.raises(LookupError, match="unheard_of"):
        notification_message(Notification(kind="unheard_of"))


def test_a_kind_is_worded_once():
    with pytest.raises(ImproperlyConfigured, match=K.AWARD_WON.value):
        notice(K.AWARD_WON)(lambda notification: Message("", "", "/"))
    assert worded_kinds() == set(K.values)
