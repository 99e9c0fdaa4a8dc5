"""The guards below the ORM on the marketplace's records, proven with raw SQL on
whichever database the suite runs (SQLite or PostgreSQL): submission versions (the
receipts) are append-only; a challenge event is kept as written, except that the mail
sender marks it mailed."""

import pytest
from django.db import connection

from marketplace.challenges.models import ChallengeEvent
from marketplace.lifecycle.emails import event_emails_send
from marketplace.submissions.models import SubmissionVersion
from tests.conftest import skip_unless
from tests.db_guards import refused, truncate_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(entrants) -> SubmissionVersion:
    return entrants.submission.versions.get()


@pytest.fixture
def event(entrants) -> ChallengeEvent:
    return ChallengeEvent.objects.create(
        challenge=entrants.challenge,
        actor=entrants.staff,
        name="approve",
        from_state="in_review",
        to_state="awaiting_funding",
        details={"note": "checked"},
    )


def rows() -> list:
    return [
        list(model.objects.order_by("pk").values()) for model in (SubmissionVersion, ChallengeEvent)
    ]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE marketplace_submissionversion SET body = 'forged' WHERE id = %s",
        "UPDATE marketplace_submissionversion SET sha256 = 'ab' WHERE id = %s",
        "UPDATE marketplace_submissionversion SET files = '[]' WHERE id = %s",
        "UPDATE marketplace_submissionversion SET number = 9 WHERE id = %s",
        "DELETE FROM marketplace_submissionversion WHERE id = %s",
    ],
)
def test_a_submission_version_never_changes_or_goes(version, sql):
    before = rows()
    refused(sql, [version.pk], match="append-only")
    assert rows() == before


@pytest.mark.parametrize(
    "change",
    [
        "reason = 'forged'",
        "name = 'reject'",
        "to_state = 'cancelled'",
        "actor_id = NULL",
        "challenge_id = challenge_id + 1",
        'details = \'{"note": "edited"}\'',
        'details = \'{"note": "checked", "mailed": false}\'',
        'details = \'{"note": "checked", "mailed": true, "more": 1}\'',
    ],
)
def test_a_challenge_event_keeps_what_it_recorded(event, change):
    before = rows()
    refused(
        f"UPDATE marketplace_challengeevent SET {change} WHERE id = %s",
        [event.pk],
        match="append-only",
    )
    assert rows() == before


def test_a_challenge_event_cannot_be_deleted(event):
    before = rows()
    refused("DELETE FROM marketplace_challengeevent WHERE id = %s", [event.pk], match="kept")
    assert rows() == before


def test_the_mail_sender_marks_an_event_mailed_and_nothing_else(event):
    event_emails_send(event_id=event.pk)
    event_emails_send(event_id=event.pk)
    marked = ChallengeEvent.objects.get(pk=event.pk)
    assert marked.details == {"note": "checked", "mailed": True}
    assert (marked.reason, marked.name, marked.to_state) == (
        event.reason,
        event.name,
        event.to_state,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", ["marketplace_submissionversion", "marketplace_challengeevent"])
def test_truncate_is_refused(version, event, table):
    skip_unless(connection.vendor == "postgresql", "TRUNCATE is PostgreSQL's", service="postgres")
    before = rows()
    truncate_refused(table)
    assert rows() == before
