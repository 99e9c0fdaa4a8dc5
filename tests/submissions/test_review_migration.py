"""Marketplace 0018 folds the private shortlist into the review status: an entry
shortlisted before it is "shortlisted" after, every other entry "received"; going back
restores the boolean."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from marketplace.submissions.models import ReviewStatus, Submission
from tests.factories import judged_challenge

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("marketplace", "0017_results")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def test_shortlisted_entries_become_shortlisted(org, owner):
    first, second, third = judged_challenge(org, owner, entrants=3).submissions
    Submission.objects.filter(pk=first.pk).update(review_status=ReviewStatus.SHORTLISTED)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = _migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("marketplace", "Submission")
        assert set(old.objects.filter(shortlisted=True).values_list("pk", flat=True)) == {first.pk}
        old.objects.filter(pk=second.pk).update(shortlisted=True)
    finally:
        _migrate(leaves)
    statuses = dict(Submission.objects.values_list("pk", "review_status"))
    assert statuses == {
        first.pk: ReviewStatus.SHORTLISTED,
        second.pk: ReviewStatus.SHORTLISTED,
        third.pk: ReviewStatus.RECEIVED,
    }
