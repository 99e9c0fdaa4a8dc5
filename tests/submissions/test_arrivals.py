"""New entries told to the owners and managers of the challenge's organisation at most
once an hour per challenge: the first at once, the rest counted and told together when
the hour is over, naming the solvers unless the challenge is judged blind."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import ChallengeState as S
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.submissions.arrivals import WINDOW, entry_notices_send
from marketplace.submissions.models import EntryArrivals
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory, submission_for

pytestmark = pytest.mark.django_db


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=K.ENTRIES_RECEIVED).order_by("pk"))


def entries(challenge, count: int) -> list:
    made = []
    for i in range(count):
        author = UserFactory(full_name=f"Solver {i}")
        RegistrationFactory(challenge=challenge, user=author)
        made.append(submission_for(challenge, author))
    return made


def hour_passes(challenge) -> None:
    EntryArrivals.objects.filter(challenge=challenge).update(
        last_sent_at=timezone.now() - WINDOW - timedelta(seconds=1)
    )


def test_the_first_entry_is_told_at_once_to_owners_and_managers(
    org, owner, manager, judge, solver, mailoutbox, django_capture_on_commit_callbacks
):
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        entries(challenge, 1)
    for person in (owner, manager):
        [row] = told(person)
        message = notification_message(row)
        assert message.subject == f"1 new entry on {challenge.title}"
        assert message.url == reverse("seekers:submissions", args=[challenge.pk])
        assert message.note == "From: Solver 0"
    assert told(judge) == [] and told(solver) == []
    assert sorted(m.to[0] for m in mailoutbox if "new entry" in m.subject) == sorted(
        [owner.email, manager.email]
    )


def test_entries_within_the_hour_are_told_together_once_it_is_over(org, owner):
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    entries(challenge, 3)
    assert len(told(owner)) == 1  # the first, at once
    assert entry_notices_send() == 0  # the hour is not over
    assert len(told(owner)) == 1

    hour_passes(challenge)
    assert entry_notices_send() == 1
    _first, second = told(owner)
    assert notification_message(second).subject == f"2 new entries on {challenge.title}"
    assert notification_message(second).note == "From: Solver 1, Solver 2"
    assert entry_notices_send() == 0  # nothing left to tell, and a new hour begins
    arrivals = EntryArrivals.objects.get(challenge=challenge)
    assert (arrivals.pending, arrivals.pending_since, arrivals.batches) == ([], None, 2)


def test_the_embedded_sweep_tells_the_entries_that_waited(org, owner):
    """`make run` has no beat: its sweep (`close_expired --every 60`) sends them."""
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    entries(challenge, 2)
    hour_passes(challenge)
    out = StringIO()
    call_command("close_expired", stdout=out)
    assert out.getvalue().strip().endswith("told of new entries on 1 challenge(s)")
    assert notification_message(told(owner)[-1]).subject == f"1 new entry on {challenge.title}"


def test_an_entry_after_a_quiet_hour_is_told_at_once_with_those_waiting(org, owner):
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    entries(challenge, 2)
    hour_passes(challenge)  # the beat has not run yet
    entries(challenge, 1)
    assert [notification_message(n).subject for n in told(owner)] == [
        f"1 new entry on {challenge.title}",
        f"2 new entries on {challenge.title}",
    ]
    assert entry_notices_send(now=timezone.now() + 2 * WINDOW) == 0


def test_a_blind_challenge_does_not_name_the_solvers(org, owner):
    challenge = ChallengeFactory(organization=org, state=S.OPEN, blind_judging=True)
    entries(challenge, 1)
    [row] = told(owner)
    message = notification_message(row)
    assert message.note == ""
    assert "Solver 0" not in message.subject + message.text


def test_challenges_are_counted_apart(org, owner):
    one, two = (ChallengeFactory(organization=org, state=S.OPEN) for _ in range(2))
    entries(one, 2)
    entries(two, 1)
    assert sorted(n.challenge_id for n in told(owner)) == sorted([one.pk, two.pk])
    assert EntryArrivals.objects.get(challenge=one).pending != []
    assert EntryArrivals.objects.get(challenge=two).pending == []
