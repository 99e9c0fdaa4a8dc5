"""The reminder of a deadline at most 48 hours and at least an hour away, stating the
time left: every registered solver of an open challenge, once per challenge and
deadline, again after an extension; run by beat and by `close_expired`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.awards.models import Award, AwardState
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.reminders import deadline_reminders_send
from marketplace.lifecycle.services import challenge_extend_deadline
from marketplace.lifecycle.tasks import send_deadline_reminders
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory
from tests.story import awarding, propose_both

pytestmark = pytest.mark.django_db


def due_in(hours: float, **fields):
    return ChallengeFactory(
        submission_deadline=timezone.now() + timedelta(hours=hours), **{"state": S.OPEN, **fields}
    )


def registered(challenge, **fields) -> User:
    return RegistrationFactory(challenge=challenge, user=UserFactory(**fields)).user


def reminders(user=None) -> list[Notification]:
    rows = Notification.objects.filter(kind=K.DEADLINE_SOON)
    return list(rows.filter(user=user) if user else rows)


def test_only_deadlines_within_48_hours(mailoutbox, django_capture_on_commit_callbacks):
    soon = due_in(47, title="Quiet propeller")
    later = due_in(49)
    near, far = registered(soon), registered(later)
    bystander = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send() == 1
    [row] = reminders()
    assert (row.user, row.challenge) == (near, soon)
    [mail] = mailoutbox
    assert mail.to == [near.email]
    assert mail.subject == "Deadline in about 47 hours: Quiet propeller"
    assert "The submission deadline of “Quiet propeller” is in about 47 hours, at" in mail.body
    assert settings.SITE_URL + reverse("challenge_detail", args=[soon.pk]) in mail.body
    assert not reminders(far) and not reminders(bystander)


def test_in_the_readers_language(mailoutbox, django_capture_on_commit_callbacks):
    challenge = due_in(24, title="Quiet propeller")
    registered(challenge, language="es")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminders_send()
    [mail] = mailoutbox
    assert mail.subject == "Fecha límite dentro de unas 24 horas: Quiet propeller"
    assert (
        "La fecha límite de presentación de “Quiet propeller” llega dentro de unas 24 horas, el"
        in mail.body
    )
    assert " a las " in mail.body


@pytest.mark.parametrize("state", [S.CLOSED, S.JUDGING, S.CANCELLED, S.AWAITING_FUNDING])
def test_not_for_challenges_that_are_not_open(state):
    registered(due_in(10, state=state))
    assert deadline_reminders_send() == 0
    assert not reminders()


def test_not_once_the_deadline_has_passed():
    registered(due_in(-1))
    assert deadline_reminders_send() == 0


@pytest.mark.parametrize("minutes", [6, 59])
def test_not_with_less_than_an_hour_left(minutes):
    registered(due_in(minutes / 60))
    assert deadline_reminders_send() == 0
    assert not reminders()


def test_a_deadline_set_just_over_an_hour_ahead_says_so():
    registered(due_in(1.1, title="Quiet propeller"))
    assert deadline_reminders_send() == 1
    [row] = reminders()
    assert notification_message(row).subject == "Deadline in about 1 hour: Quiet propeller"


def test_the_time_left_is_that_at_sending_not_at_reading():
    challenge = due_in(100)
    registered(challenge)
    assert deadline_reminders_send(now=challenge.submission_deadline - timedelta(hours=30)) == 1
    [row] = reminders()
    assert "is in about 30 hours, at" in notification_message(row).text


def test_reminders_recorded_without_their_sending_moment_count_from_their_creation():
    challenge = due_in(6 / 60)
    row = Notification.objects.create(
        key="recorded-earlier",
        user=registered(challenge),
        kind=K.DEADLINE_SOON,
        challenge=challenge,
        params={"deadline": challenge.submission_deadline.isoformat()},
    )
    assert "is in about 6 minutes, at" in notification_message(row).text


def test_not_twice(mailoutbox, django_capture_on_commit_callbacks):
    challenge = due_in(30)
    solvers = [registered(challenge) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send() == 3
        assert deadline_reminders_send() == 0
        assert send_deadline_reminders.delay().get() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in solvers)


def test_again_after_an_extension(org, owner, django_capture_on_commit_callbacks):
    challenge = due_in(10, organization=org)
    solver = registered(challenge)
    deadline_reminders_send()
    challenge_extend_deadline(
        challenge_id=challenge.pk,
        actor=owner,
        new_deadline=challenge.submission_deadline + timedelta(hours=30),
    )
    assert deadline_reminders_send() == 1
    assert deadline_reminders_send() == 0
    first, second = sorted(reminders(solver), key=lambda n: n.params["deadline"])
    assert second.params["deadline"] > first.params["deadline"]
    assert "is in about 10 hours, at" in notification_message(first).text
    assert "is in about 40 hours, at" in notification_message(second).text


def test_not_again_as_the_same_deadline_nears():
    challenge = due_in(47)
    registered(challenge)
    assert deadline_reminders_send() == 1
    assert deadline_reminders_send(now=challenge.submission_deadline - timedelta(hours=2)) == 0
    assert len(reminders()) == 1


def test_an_extension_beyond_the_window_reminds_when_the_new_window_opens(org, owner):
    challenge = due_in(10, organization=org)
    solver = registered(challenge)
    deadline_reminders_send()
    new_deadline = challenge.submission_deadline + timedelta(days=5)
    challenge_extend_deadline(challenge_id=challenge.pk, actor=owner, new_deadline=new_deadline)
    assert deadline_reminders_send() == 0
    assert deadline_reminders_send(now=new_deadline - timedelta(hours=47)) == 1
    assert len(reminders(solver)) == 2


def test_beat_runs_it_hourly_by_default():
    entry = settings.CELERY_BEAT_SCHEDULE["send-deadline-reminders"]
    assert entry == {"task": "marketplace.tasks.send_deadline_reminders", "schedule": 3600}


def test_the_embedded_sweep_closes_reminds_and_forfeits():
    people = awarding()
    unclaimed, _claimed = propose_both(people)
    Award.objects.filter(pk=unclaimed.pk).update(claim_deadline=timezone.now())
    registered(due_in(20))
    closing = due_in(-1)
    out = StringIO()
    call_command("close_expired", stdout=out)
    assert out.getvalue().strip() == (
        "closed 1 challenge(s), sent 1 reminder(s), forfeited 1 award(s), settled 0 award(s), "
        "told of new entries on 0 challenge(s)"
    )
    assert Challenge.objects.get(pk=closing.pk).state == S.CLOSED
    assert Award.objects.get(pk=unclaimed.pk).state == AwardState.FORFEITED
