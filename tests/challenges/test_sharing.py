"""Sharing a published challenge: the share panel's links, the Open Graph and Twitter
card tags read from the page's HTML, and what never goes out (the brief, a hidden
Seeker's name)."""

import io
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from marketplace.challenges.models import ChallengeState as S
from marketplace.challenges.sharing import DESCRIPTION_CHARS, challenge_sharing
from tests.factories import ChallengeFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

TITLE = "Clean water & cheap: 50% less energy?"
SECRET_BRIEF = "Our unreleased membrane, code name Kestrel."


class PageReader(HTMLParser):
    """The head's meta tags (by property or name) and the links of the share panel."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.share_links: dict[str, str] = {}
        self.share_input: dict[str, str] = {}
        self._in_share = False
        self._link: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name")] = attrs["content"]
        if tag == "section" and attrs.get("id") == "share":
            self._in_share = True
        if self._in_share and tag == "a":
            self._link = attrs["href"]
        if self._in_share and tag == "input":
            self.share_input = attrs

    def handle_data(self, data):
        if self._link is not None and data.strip():
            self.share_links[data.strip()] = self._link
            self._link = None

    def handle_endtag(self, tag):
        if tag == "section":
            self._in_share = False


def read(response) -> PageReader:
    reader = PageReader()
    reader.feed(response.content.decode())
    return reader


def page(challenge) -> str:
    return reverse("challenge_detail", args=[challenge.pk])


@pytest.fixture
def challenge():
    return ChallengeFactory(state=S.OPEN, title=TITLE, brief=SECRET_BRIEF)


def test_share_links_carry_the_title_and_address_percent_encoded(client, challenge):
    reader = read(client.get(page(challenge)))
    url = f"http://testserver{page(challenge)}"
    links = reader.share_links
    assert reader.share_input["value"] == url
    assert "readonly" in reader.share_input

    email = urlsplit(links["Send by e-mail"])
    assert email.scheme == "mailto"
    fields = parse_qs(email.query)
    assert fields["subject"] == [TITLE]
    assert fields["body"][0].endswith(f"Read the challenge: {url}")
    assert "+" not in email.query and " " not in email.query  # mailto reads + literally

    linkedin = urlsplit(links["Share on LinkedIn"])
    assert (linkedin.netloc, linkedin.path) == ("www.linkedin.com", "/sharing/share-offsite/")
    assert parse_qs(linkedin.query) == {"url": [url]}

    x = urlsplit(links["Share on X"])
    assert (x.netloc, x.path) == ("x.com", "/intent/post")
    assert parse_qs(x.query) == {"text": [TITLE], "url": [url]}
    # The title's own & and % stay inside the value.
    assert "Clean%20water%20%26%20cheap%3A%2050%25%20less%20energy%3F" in x.query

    mastodon = urlsplit(links["Share on Mastodon"])
    assert (mastodon.netloc, mastodon.path) == ("mastodon.social", "/share")
    assert parse_qs(mastodon.query) == {"text": [f"{TITLE} {url}"]}


def test_meta_tags_describe_the_challenge_with_absolute_addresses(client, challenge):
    meta = read(client.get(page(challenge))).meta
    url = f"http://testserver{page(challenge)}"
    assert meta["og:type"] == "website"
    assert meta["og:title"] == meta["twitter:title"] == TITLE
    assert meta["og:description"] == meta["twitter:description"] == challenge.summary
    assert meta["og:url"] == url
    assert meta["twitter:card"] == "summary_large_image"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    image = urlsplit(meta["og:image"])
    assert (image.scheme, image.netloc) == ("http", "testserver")
    assert meta["twitter:image"] == meta["og:image"]

    response = client.get(f"{image.path}?{image.query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert (picture.format, picture.size) == ("PNG", (1200, 630))


def test_a_long_summary_is_cut_for_the_description(client):
    challenge = ChallengeFactory(state=S.OPEN, summary="Sea water " * 100)
    meta = read(client.get(page(challenge))).meta
    assert len(meta["og:description"]) == DESCRIPTION_CHARS
    assert meta["og:description"].endswith("…")


def test_neither_the_brief_nor_a_hidden_seeker_goes_out(client):
    seeker = OrganizationFactory(name="Quietwater Holdings")
    challenge = ChallengeFactory(
        state=S.OPEN, organization=seeker, hide_seeker=True, brief=SECRET_BRIEF
    )
    reader = read(client.get(page(challenge)))
    shared = [*reader.meta.values(), *reader.share_links.values()]
    image = urlsplit(reader.meta["og:image"])
    shared.append(client.get(reverse("challenge_deadlines", args=[challenge.pk])).content.decode())
    shared.append(client.get(reverse("catalogue_rss")).content.decode())
    shared.append(client.get(reverse("catalogue_atom")).content.decode())
    assert client.get(f"{image.path}?{image.query}").status_code == 200
    for text in shared:
        assert "Quietwater" not in text
        assert "Kestrel" not in text


@pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW, S.AWAITING_FUNDING, S.CANCELLED])
def test_an_unpublished_challenge_offers_nothing_to_share(client, org, owner, state):
    challenge = ChallengeFactory(state=state, organization=org)
    client.force_login(owner)
    response = client.get(page(challenge))
    assert response.status_code == 200
    reader = read(response)
    assert reader.share_links == {}
    assert "og:title" not in reader.meta
    assert response.context["sharing"] is None


@pytest.mark.parametrize("state", [S.CLOSED, S.JUDGING, S.AWARDING, S.COMPLETED, S.NO_AWARD])
def test_every_published_state_can_be_shared(client, state):
    challenge = ChallengeFactory(state=state)
    reader = read(client.get(page(challenge)))
    assert "Share on X" in reader.share_links
    assert reader.meta["og:title"] == challenge.title


def test_the_image_address_changes_when_what_it_shows_changes(challenge, settings):
    settings.ALLOWED_HOSTS = ["challenges.example"]
    request = RequestFactory().get("/", HTTP_HOST="challenges.example")
    before = challenge_sharing(request, challenge).image_url
    challenge.prize_pool = 3_000_000
    after = challenge_sharing(request, challenge).image_url
    assert before.startswith("http://challenges.example/challenges/")
    assert before != after
