"""The RSS and Atom feeds of newly published challenges: read with a feed reader's
parser, filtered by the catalogue's rules, newest first, in a fixed number of queries,
and linked from the catalogue."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse

from marketplace.challenges import feeds
from marketplace.challenges.models import ChallengeKind
from marketplace.challenges.models import ChallengeState as S
from tests.factories import ChallengeFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

FEEDS = ["catalogue_rss", "catalogue_atom"]
PUBLISHED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def published(days: int, **fields):
    return ChallengeFactory(
        state=fields.pop("state", S.OPEN), published_at=PUBLISHED + timedelta(days=days), **fields
    )


def read(client, name: str, query: str = ""):
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


@pytest.mark.parametrize("name", FEEDS)
def test_newest_published_first_with_absolute_links(client, name):
    older = published(0, title="Older challenge")
    newer = published(3, title="Newer challenge")
    ChallengeFactory(state=S.IN_REVIEW, title="Not yet public")
    parsed = read(client, name)
    assert not parsed.bozo
    assert parsed.feed.title == "New challenges · Challenge Marketplace"
    assert titles(parsed) == ["Newer challenge", "Older challenge"]
    links = [entry.link for entry in parsed.entries]
    assert links == [
        f"http://testserver{reverse('challenge_detail', args=[c.pk])}" for c in (newer, older)
    ]
    assert parsed.entries[0].published_parsed[:5] == (2026, 11, 5, 9, 30)
    assert "$25,000.00" in parsed.entries[0].summary


@pytest.mark.parametrize("name", FEEDS)
def test_the_catalogues_filters_narrow_the_feed(client, name):
    published(0, title="Film in dollars", kind=ChallengeKind.THEORETICAL)
    published(1, title="Film in euros", currency="EUR", kind=ChallengeKind.THEORETICAL)
    published(
        2,
        title="Small reduction",
        summary="A pump that runs on sunlight.",
        prize_pool=50_000,
        kind=ChallengeKind.REDUCTION_TO_PRACTICE,
    )
    published(3, title="Closed film", state=S.CLOSED)
    assert titles(read(client, name, "?currency=EUR")) == ["Film in euros"]
    assert titles(read(client, name, "?q=film")) == ["Film in euros", "Film in dollars"]
    assert titles(read(client, name, "?prize_min=1000")) == ["Film in euros", "Film in dollars"]
    assert titles(read(client, name, f"?kind={ChallengeKind.REDUCTION_TO_PRACTICE}")) == [
        "Small reduction"
    ]
    assert titles(read(client, name, "?state=closed&state=open&q=film")) == [
        "Closed film",
        "Film in euros",
        "Film in dollars",
    ]


@pytest.mark.parametrize("name", FEEDS)
def test_the_catalogue_forms_empty_fields_are_read_as_no_filter(client, name):
    published(0, title="Any challenge")
    query = "?q=&currency=&prize_min=&prize_max=&deadline_before=&sort=prize&page=2"
    assert titles(read(client, name, query)) == ["Any challenge"]


def test_bad_filters_are_refused(client):
    response = client.get(reverse("catalogue_rss") + "?prize_min=lots")
    assert response.status_code == 400
    assert response.content.decode().startswith("prize_min: ")


def test_at_most_the_newest_items(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    for day in range(3):
        published(day, title=f"Day {day}")
    assert titles(read(client, "catalogue_rss")) == ["Day 2", "Day 1"]


def test_a_hidden_seeker_is_never_named(client):
    published(0, organization=OrganizationFactory(name="Openly Named Ltd"))
    published(1, organization=OrganizationFactory(name="Quietwater Holdings"), hide_seeker=True)
    for name in FEEDS:
        response = client.get(reverse(name))
        parsed = feedparser.parse(response.content)
        assert [entry.get("author") for entry in parsed.entries] == [None, "Openly Named Ltd"]
        assert "Quietwater" not in response.content.decode()


@pytest.mark.parametrize("name", FEEDS)
def test_queries_do_not_grow_with_the_items(client, name, django_assert_num_queries):
    published(0)
    with django_assert_num_queries(1):
        client.get(reverse(name))
    for day in range(1, 6):
        published(day, hide_seeker=day % 2 == 0)
    with django_assert_num_queries(1):
        assert len(read(client, name).entries) == 6


class AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.feeds: dict[str, str] = {}
        self.visible: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.feeds[attrs["type"]] = attrs["href"]
        if tag == "a" and "/challenges/feed/" in attrs.get("href", ""):
            self.visible.append(attrs["href"])


def test_the_catalogue_links_its_feeds_with_its_valid_filters(client):
    response = client.get(reverse("catalogue") + "?q=film&currency=EUR&prize_min=lots&page=2")
    links = AlternateLinks()
    links.feed(response.content.decode())
    rss = reverse("catalogue_rss") + "?q=film&currency=EUR"
    atom = reverse("catalogue_atom") + "?q=film&currency=EUR"
    assert links.feeds == {"application/rss+xml": rss, "application/atom+xml": atom}
    assert links.visible == [rss, atom]
    assert client.get(rss).status_code == 200
