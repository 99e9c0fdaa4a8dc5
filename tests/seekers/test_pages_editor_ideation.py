"""The editor offers open ideation at creation, with its threshold and licence; a
threshold below 10 is refused next to the field and nothing is saved."""

import pytest

from marketplace.challenges.models import Challenge
from tests.seekers.test_pages_editor import create_url, editor_data, error_next_to

pytestmark = pytest.mark.django_db


def test_an_open_ideation_challenge_is_created_with_its_threshold(client, org, owner):
    client.force_login(owner)
    data = editor_data(open_ideation="on", support_threshold="25", idea_licence="cc0-1.0")
    client.post(create_url(org), data)
    challenge = Challenge.objects.get()
    assert (challenge.open_ideation, challenge.support_threshold, challenge.idea_licence) == (
        True,
        25,
        "cc0-1.0",
    )


def test_a_threshold_below_10_is_refused_and_nothing_saved(client, org, owner):
    client.force_login(owner)
    response = client.post(create_url(org), editor_data(open_ideation="on", support_threshold="9"))
    assert response.status_code == 400
    assert error_next_to(
        response.content.decode(),
        "support_threshold",
        "Ensure this value is greater than or equal to 10.",
    )
    assert not Challenge.objects.exists()


def test_the_default_threshold_is_10000(client, org, owner):
    client.force_login(owner)
    client.post(create_url(org), editor_data(open_ideation="on"))
    assert Challenge.objects.get().support_threshold == 10_000
