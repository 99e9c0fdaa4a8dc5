"""Histories written only by the services stay clean under every rule of the audit,
the core's included, whichever way a challenge ends; and the audit costs the same
number of queries however long the history is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.awards.services.finalize import awards_finalize
from marketplace.challenges.models import ChallengeState
from marketplace.core.references import subject_of
from marketplace.lifecycle.services import challenge_transition
from payouts.audit import run_audit
from payouts.models import Entry
from payouts.selectors import statement
from tests.factories import claim_awarded_challenge, verify_award
from tests.story import awarding, cast, claim_both, open_with_entries, propose_both

pytestmark = pytest.mark.django_db


def paid_and_completed(capture):
    people = awarding()
    with capture(execute=True):
        claim_both(people, propose_both(people))
    with capture(execute=True):
        awards_finalize(challenge_id=people.challenge.pk, actor=people.owner)
    return people


def ended_with_no_award(capture):
    people = awarding()
    propose_both(people)
    with capture(execute=True):
        challenge_transition(
            challenge_id=people.challenge.pk,
            name="declare_no_award",
            actor=people.owner,
            reason="No entry met the brief",
        )
    return people


def cancelled_while_open(capture):
    people = open_with_entries(cast())
    with capture(execute=True):
        challenge_transition(
            challenge_id=people.challenge.pk,
            name="cancel",
            actor=people.staff,
            reason="The Seeker withdrew the problem",
        )
    return people


ENDINGS = {
    "completed": (paid_and_completed, ChallengeState.COMPLETED),
    "no_award": (ended_with_no_award, ChallengeState.NO_AWARD),
    "cancelled": (cancelled_while_open, ChallengeState.CANCELLED),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_history_the_services_wrote_is_clean(ending, django_capture_on_commit_callbacks):
    story, state = ENDINGS[ending]
    people = story(django_capture_on_commit_callbacks)

    report = run_audit()

    assert people.refresh().state == state
    assert report.breaches == []
    assert report.checked["extra checks"] == 3
    assert statement(subject_of(people.challenge))["refunded"] > 0


def paid_award(org, owner, capture) -> None:
    """One more challenge funded, opened and its award claimed, released and paid."""
    won = claim_awarded_challenge(org, owner)
    with capture(execute=True):
        verify_award(won.award)


def test_the_audit_costs_the_same_queries_for_a_longer_history(
    org, owner, django_capture_on_commit_callbacks
):
    paid_award(org, owner, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as one:
        assert run_audit().clean
    entries = Entry.objects.count()

    for _more in range(2):
        paid_award(org, owner, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as three:
        assert run_audit().clean

    assert Entry.objects.count() == 3 * entries
    assert len(three) == len(one)
