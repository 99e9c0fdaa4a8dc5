"""The daily digest: one e-mail per person listing the notifications of the kinds they
chose to hear of that way, in their language; a second run sends nothing again."""

import pytest
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.challenges.models import ChallengeState as S
from marketplace.notifications.digests import digests_send
from marketplace.notifications.models import Delivery, Notification, NotificationPreference
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.services import notifications_send
from marketplace.notifications.tasks import send_digests
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def digest(user, kind=K.CHALLENGE_OPENED) -> None:
    NotificationPreference.objects.create(user=user, kind=kind, delivery=Delivery.DIGEST)


def opened(users, title="Algae film"):
    challenge = ChallengeFactory(state=S.OPEN, title=title)
    notifications_send(
        kind=K.CHALLENGE_OPENED, users=users, key=f"challenge:{challenge.pk}", challenge=challenge
    )
    return challenge


def test_digest_kinds_wait_for_the_digest_and_are_sent_once(
    solver, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    digest(solver)
    with django_capture_on_commit_callbacks(execute=True):
        opened([solver, outsider], "Algae film")
        opened([solver], "Sea salt")
    assert [m.to for m in mailoutbox] == [[outsider.email]]  # the outsider's, at once
    assert Notification.objects.filter(user=solver, delivery=Delivery.DIGEST).count() == 2

    assert send_digests.delay().get() == 1
    [mail] = mailoutbox[1:]
    assert mail.to == [solver.email]
    assert mail.subject == "Your daily digest: 2 notifications"
    assert "Algae film" in mail.body and "Sea salt" in mail.body
    assert reverse("notification_preferences") in mail.body
    assert not Notification.objects.filter(user=solver, emailed_at__isnull=True).exists()

    assert digests_send() == 0  # a rerun sends nothing twice
    assert len(mailoutbox) == 2


def test_the_digest_is_in_the_readers_language(
    solver, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=solver.pk).update(language="es")
    digest(solver)
    with django_capture_on_commit_callbacks(execute=True):
        opened([solver])
    assert digests_send() == 1
    body = mailoutbox[0].body
    assert body.startswith("Hola, ") and "Nuevo desafío de " in body


def test_nothing_pending_sends_nothing(solver, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        opened([solver])  # e-mailed at once
    assert digests_send() == 0
    assert len(mailoutbox) == 1
