"""Statements of many subjects at once: the same figures as one by one, in three
queries whatever their number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.challenges.models import ChallengeState as S
from marketplace.core.references import subject_of
from marketplace.lifecycle.services import challenge_transition
from payouts.selectors import statement, statements
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_many_at_once_equal_one_by_one(org, owner):
    opened = [
        challenge_transition(
            challenge_id=ChallengeFactory(
                organization=org, state=S.AWAITING_FUNDING, funded=True, prize_pool=pool
            ).pk,
            name="open",
            actor=owner,
        )
        for pool in (500_000, 2_000_000)
    ]
    waiting = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING, funded=True)
    subjects = [subject_of(c) for c in [*opened, waiting]] + ["challenge:999999"]
    with CaptureQueriesContext(connection) as ctx:
        together = statements(subjects)
    assert len(ctx.captured_queries) == 3
    assert together == {subject: statement(subject) for subject in subjects}
    assert together[subjects[0]]["held"] == 500_000
    assert together[subjects[2]]["held"] == 0 and together[subjects[2]]["unallocated"] > 0
    assert together["challenge:999999"]["received"] == 0
