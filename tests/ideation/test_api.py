"""Open ideation through the API: the sorted list in a constant number of queries,
support and withdraw, comments over the limit, and a challenge asking for a threshold
below 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.challenges.models import Challenge
from marketplace.ideation.models import Comment
from marketplace.ideation.services import idea_support
from tests.api_calls import assert_error, call, challenge_payload
from tests.factories import idea_challenge, idea_for, verified_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(org, owner):
    return idea_challenge(org, owner)


def _list(user, challenge, sort):
    return call(user, "get", f"/api/v1/ideas/?challenge={challenge.pk}&sort={sort}")


def test_the_list_sorts_and_counts_in_constant_queries(challenge):
    quiet = idea_for(challenge, title="Quiet")
    loud = idea_for(challenge, title="Loud")
    fan = verified_user()
    idea_support(submission_id=loud.pk, user=fan)
    body = _list(fan, challenge, "support").json()
    assert [(i["title"], i["supports"], i["supported"]) for i in body["results"]] == [
        ("Loud", 1, True),
        ("Quiet", 0, False),
    ]
    assert [i["id"] for i in _list(None, challenge, "newest").json()["results"]] == [
        loud.pk,
        quiet.pk,
    ]
    assert _list(None, challenge, "trending").json()["results"][0]["supports_last_7_days"] == 1
    with CaptureQueriesContext(connection) as few:
        _list(fan, challenge, "trending")
    for _ in range(4):
        idea = idea_for(challenge)
        for _ in range(3):
            idea_support(submission_id=idea.pk, user=verified_user())
    with CaptureQueriesContext(connection) as many:
        assert len(_list(fan, challenge, "trending").json()["results"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_support_and_withdraw(challenge):
    idea = idea_for(challenge)
    fan = verified_user()
    url = f"/api/v1/ideas/{idea.pk}/support/"
    assert call(fan, "post", url).json() == {"supports": 1, "supported": True}
    assert_error(call(fan, "post", url), 409, "supported")
    assert_error(call(idea.author, "post", url), 403)
    assert call(fan, "delete", url).json() == {"supports": 0, "supported": False}
    assert call(None, "get", f"/api/v1/ideas/{idea.pk}/").json()["supports"] == 0


def test_a_comment_over_5000_characters_is_a_400(challenge):
    idea = idea_for(challenge)
    writer = verified_user()
    url = f"/api/v1/ideas/{idea.pk}/comments/"
    body = assert_error(call(writer, "post", url, {"body": "x" * 5001}), 400)
    assert "body" in body["fields"]
    assert not Comment.objects.exists()
    made = call(writer, "post", url, {"body": "<script>alert(1)</script>Fine"})
    assert made.status_code == 201
    assert "<script>" not in made.json()["html"]


def test_a_threshold_below_10_is_refused(org, owner):
    payload = challenge_payload(org, open_ideation=True, support_threshold=9)
    body = assert_error(call(owner, "post", "/api/v1/challenges/", payload), 400)
    assert "support_threshold" in body["fields"]
    assert not Challenge.objects.exists()
    payload = challenge_payload(org, open_ideation=True, support_threshold=10)
    made = call(owner, "post", "/api/v1/challenges/", payload)
    assert made.status_code == 201, made.content
    assert made.json()["open_ideation"] is True
    assert Challenge.objects.get().support_threshold == 10
