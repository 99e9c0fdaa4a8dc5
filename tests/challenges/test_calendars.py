"""A published challenge's deadlines as an iCalendar file, read back with icalendar."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from marketplace.challenges.models import ChallengeState as S
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

SUBMISSION = datetime(2031, 3, 14, 17, 0, tzinfo=UTC)
JUDGING = datetime(2031, 4, 30, 12, 15, tzinfo=UTC)


def ics_of(challenge) -> str:
    return reverse("challenge_deadlines", args=[challenge.pk])


def events(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]).split(":")[0]: event for event in calendar.walk("VEVENT")}


@pytest.fixture
def challenge():
    return ChallengeFactory(
        state=S.OPEN,
        title="Packaging film",
        submission_deadline=SUBMISSION,
        judging_deadline=JUDGING,
    )


def test_both_deadlines_as_events_in_utc(client, challenge):
    response = client.get(ics_of(challenge))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == (
        f'attachment; filename="challenge-{challenge.pk}-deadlines.ics"'
    )
    found = events(response)
    assert set(found) == {"Submission deadline", "Judging deadline"}
    submission, judging = found["Submission deadline"], found["Judging deadline"]
    assert submission["dtstart"].dt == SUBMISSION
    assert judging["dtstart"].dt == JUDGING
    assert submission["dtstart"].dt.utcoffset().total_seconds() == 0
    assert b"DTSTART:20310314T170000Z" in response.content
    assert str(submission["summary"]) == "Submission deadline: Packaging film"
    url = f"http://testserver{reverse('challenge_detail', args=[challenge.pk])}"
    for event in (submission, judging):
        assert str(event["url"]) == url
        assert event["dtstamp"].dt == challenge.updated_at.replace(microsecond=0)


def test_each_event_keeps_its_uid(client, challenge):
    first = events(client.get(ics_of(challenge)))
    again = events(client.get(ics_of(challenge)))
    uids = {name: str(event["uid"]) for name, event in first.items()}
    assert uids == {name: str(event["uid"]) for name, event in again.items()}
    assert uids["Submission deadline"] != uids["Judging deadline"]
    assert all(uid.startswith(f"challenge-{challenge.pk}-") for uid in uids.values())


@pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW, S.AWAITING_FUNDING, S.CANCELLED])
def test_no_calendar_before_publication_even_for_the_seeker(client, org, owner, state):
    challenge = ChallengeFactory(state=state, organization=org)
    client.force_login(owner)
    assert client.get(ics_of(challenge)).status_code == 404


def test_the_challenge_page_offers_the_file(client, challenge):
    page = client.get(reverse("challenge_detail", args=[challenge.pk])).content.decode()
    assert f'href="{ics_of(challenge)}" download' in page
