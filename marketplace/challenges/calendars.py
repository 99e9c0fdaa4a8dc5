"""A published challenge's deadlines as an iCalendar file: one event for the submission
deadline and one for the judging deadline, in UTC. Each event's UID names the challenge,
the deadline and the site, so a calendar that imports the file again updates the
events it has instead of adding copies; DTSTAMP is when the challenge last changed."""

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from marketplace.challenges.models import Challenge

PRODID = "-//Challenge Marketplace//Challenge deadlines//EN"


def deadlines_ical(challenge: Challenge, *, url: str) -> bytes:
    """The file's bytes; `url` is the challenge page's absolute address."""
    site = urlsplit(settings.SITE_URL).hostname
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", challenge.title)
    deadlines = (
        ("submission-deadline", _("Submission deadline"), challenge.submission_deadline),
        ("judging-deadline", _("Judging deadline"), challenge.judging_deadline),
    )
    for name, label, when in deadlines:
        event = Event()
        event.add("uid", f"challenge-{challenge.pk}-{name}@{site}")
        event.add("dtstamp", challenge.updated_at.astimezone(UTC))
        event.add("dtstart", when.astimezone(UTC))
        event.add("summary", f"{label}: {challenge.title}")
        event.add("description", url)
        event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()
