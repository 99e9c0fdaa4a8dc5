"""The Seeker's side hears of submissions closing at the deadline (sent in bulk by the
sweep) and of awards accepted or declined by their winners; each once, to the owners and
managers of the challenge's organisation, never naming the winner."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.awards.services.claim import award_accept, award_decline
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_transition, challenges_close_expired
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Notification
from marketplace.notifications.models import NotificationKind as K
from marketplace.organisations.roles import OrgRole
from tests.factories import (
    ChallengeFactory,
    MembershipFactory,
    RegistrationFactory,
    submission_for,
)
from tests.story import awarding, propose_both

pytestmark = pytest.mark.django_db


def rows(user, kind) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind).order_by("pk"))


def expire(*challenges) -> None:
    Challenge.objects.filter(pk__in=[c.pk for c in challenges]).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )


class TestSubmissionsClosed:
    def test_the_sweep_tells_owners_and_managers_the_count_once(
        self, org, owner, manager, judge, solver, mailoutbox, django_capture_on_commit_callbacks
    ):
        with_entry = ChallengeFactory(organization=org, state=S.OPEN, title="Algae")
        RegistrationFactory(challenge=with_entry, user=solver)
        submission_for(with_entry, solver)
        empty = ChallengeFactory(organization=org, state=S.OPEN, title="Salt")
        expire(with_entry, empty)
        with django_capture_on_commit_callbacks(execute=True):
            assert challenges_close_expired() == 2
        assert challenges_close_expired() == 0
        for person in (owner, manager):
            subjects = {notification_message(n).subject for n in rows(person, K.SUBMISSIONS_CLOSED)}
            assert subjects == {
                "Submissions closed on Algae: 1 entry",
                "Submissions closed on Salt: 0 entries",
            }
            assert sorted(m.subject for m in mailoutbox if m.to == [person.email]) == sorted(
                subjects
            )
        [row] = rows(owner, K.SUBMISSIONS_CLOSED)[:1]
        assert notification_message(row).url == reverse(
            "seekers:submissions", args=[row.challenge_id]
        )
        assert rows(judge, K.SUBMISSIONS_CLOSED) == rows(solver, K.SUBMISSIONS_CLOSED) == []

    def test_closing_by_hand_after_the_deadline_tells_them_too(self, org, owner, staff):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        expire(challenge)
        challenge_transition(challenge_id=challenge.pk, name="close", actor=staff)
        assert len(rows(owner, K.SUBMISSIONS_CLOSED)) == 1
        assert rows(staff, K.SUBMISSIONS_CLOSED) == []

    def test_the_sweeps_queries_do_not_grow_with_challenges_or_people(self, org, owner, manager):
        def sweep(count: int) -> int:
            expire(*ChallengeFactory.create_batch(count, organization=org, state=S.OPEN))
            with CaptureQueriesContext(connection) as queries:
                assert challenges_close_expired(batch_size=1000) == count
            return len(queries)

        few = sweep(2)
        for _ in range(3):
            MembershipFactory(organization=org, role=OrgRole.MANAGER)
        # 95 notifications: one INSERT even where SQLite caps a statement's parameters
        assert sweep(19) == few
        assert Notification.objects.filter(kind=K.SUBMISSIONS_CLOSED).count() == 2 * 2 + 19 * 5


class TestAwardsAnswered:
    def test_an_accepted_award_is_told_once_without_the_winners_name(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        people = awarding()
        manager = MembershipFactory(organization=people.org, role=OrgRole.MANAGER).user
        first, _second = propose_both(people)
        winner = people.solvers[0]
        with django_capture_on_commit_callbacks(execute=True):
            award_accept(award_id=first.pk, user=winner)
            award_accept(award_id=first.pk, user=winner)
        for person in (people.owner, manager):
            [row] = rows(person, K.AWARD_ACCEPTED)
            message = notification_message(row)
            assert message.subject == f"Award accepted: {people.challenge.title}"
            assert "$7,000.00" in message.text and winner.full_name not in message.text
            assert message.url == reverse("seekers:challenge_manage", args=[people.challenge.pk])
        assert rows(winner, K.AWARD_ACCEPTED) == []
        for judge in people.judges:
            assert rows(judge, K.AWARD_ACCEPTED) == []

    def test_a_declined_award_is_told_as_declined_not_also_as_forfeited(self):
        people = awarding()
        manager = MembershipFactory(organization=people.org, role=OrgRole.MANAGER).user
        _first, second = propose_both(people)
        loser = people.solvers[1]
        award_decline(award_id=second.pk, user=loser, reason="Cannot sign.")
        for person in (people.owner, manager):
            [row] = rows(person, K.AWARD_DECLINED)
            assert notification_message(row).note == "Reason: Cannot sign."
            assert rows(person, K.AWARD_FORFEITED) == []
        assert len(rows(loser, K.AWARD_FORFEITED)) == 1
        assert rows(loser, K.AWARD_DECLINED) == []
