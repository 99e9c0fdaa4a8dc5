"""The preview image: a 1200x630 PNG of a published challenge, drawn once per version of
what it shows and then served from the cache, with validators for the client."""

import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image, ImageFont

from legal.pdf_fonts import font_file
from marketplace.challenges import preview
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def image_of(challenge) -> str:
    return reverse("challenge_preview", args=[challenge.pk])


@pytest.fixture
def drawn():
    """Counts the drawings (the real drawing still runs)."""
    with mock.patch.object(preview, "preview_draw", wraps=preview.preview_draw) as spy:
        yield spy


def test_a_png_of_1200_by_630_with_validators(client):
    challenge = ChallengeFactory(state=S.OPEN)
    response = client.get(image_of(challenge))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert (picture.format, picture.size) == ("PNG", (1200, 630))
    assert response["ETag"] == f'"{preview.preview_version(challenge)}"'
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


def test_a_second_fetch_is_served_from_the_cache(client, drawn):
    challenge = ChallengeFactory(state=S.OPEN)
    first = client.get(image_of(challenge))
    second = client.get(image_of(challenge))
    assert drawn.call_count == 1
    assert first.content == second.content
    key = f"challenge-preview:{challenge.pk}:{preview.preview_version(challenge)}"
    assert cache.get(key) == first.content


def test_an_edit_draws_a_new_image(client, drawn):
    challenge = ChallengeFactory(state=S.OPEN)
    before = client.get(image_of(challenge))
    Challenge.objects.filter(pk=challenge.pk).update(title="A new title for the same challenge")
    after = client.get(image_of(challenge))
    assert drawn.call_count == 2
    assert before["ETag"] != after["ETag"]
    assert before.content != after.content


def test_the_client_holding_this_version_gets_304_without_a_drawing(client, drawn):
    challenge = ChallengeFactory(state=S.OPEN)
    etag = client.get(image_of(challenge))["ETag"]
    response = client.get(image_of(challenge), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert drawn.call_count == 1


def test_the_image_follows_the_readers_language(client):
    challenge = ChallengeFactory(state=S.OPEN)
    english = client.get(image_of(challenge))
    spanish = client.get(image_of(challenge), HTTP_ACCEPT_LANGUAGE="es")
    assert english["ETag"] != spanish["ETag"]


def test_what_the_image_shows():
    challenge = ChallengeFactory.build(title="Packaging film", prize_pool=2_500_050)
    challenge.submission_deadline = challenge.submission_deadline.replace(
        year=2031, month=3, day=14
    )
    shown = preview.preview_text(challenge)
    assert shown.site == "Challenge Marketplace"
    assert shown.title == "Packaging film"
    assert shown.prize == "$25,000.50"
    assert shown.deadline == "Submission deadline: March 14, 2031"


@pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW, S.AWAITING_FUNDING, S.CANCELLED])
def test_no_image_before_publication_even_for_the_seeker(client, org, owner, state):
    challenge = ChallengeFactory(state=state, organization=org)
    client.force_login(owner)
    assert client.get(image_of(challenge)).status_code == 404


def test_a_long_title_is_wrapped_and_cut_to_three_lines():
    font = ImageFont.truetype(font_file("sans-bold"), 64)
    title = "A biodegradable packaging film that dissolves in sea water " * 4
    lines = preview.wrap(title, font, 1056, 3)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1056 for line in lines)


def test_a_word_longer_than_a_line_is_broken():
    font = ImageFont.truetype(font_file("sans-bold"), 64)
    lines = preview.wrap("x" * 60, font, 500, 5)
    assert "".join(lines) == "x" * 60
    assert len(lines) > 1
    assert all(font.getlength(line) <= 500 for line in lines)
