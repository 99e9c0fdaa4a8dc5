"""OPTIONS on every API route: never a server error; where the route has a GET, the
same refusal GET gives (401, 403, 404: an object the caller may not see stays unseen),
else a description of the endpoint. The docs pages, HTML only, have none (405)."""

import pytest
from rest_framework.test import APIClient

from tests.api.world import ROLES, build_world, urls
from tests.api_calls import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, owner, staff):
    return build_world(org, owner, staff)


def client_as(world, role: str) -> APIClient:
    client = APIClient()
    client.credentials(**{"HTTP_AUTHORIZATION": world.token(role).get("Authorization", "")})
    return client


def described(response) -> bool:
    """The endpoint's name and media types (as JSON; the schema answers in its own
    formats only)."""
    if not response["Content-Type"].startswith("application/json"):
        return response.status_code == 200 and bool(response.content)
    body = response.json()
    return set(body) == {"name", "description", "renders", "parses"} and bool(body["name"])


@pytest.mark.parametrize("role", ROLES)
def test_options_answers_as_get_would_on_every_route(world, role):
    client = client_as(world, role)
    wrong = {}
    for url in urls(world):
        options = client.options(url)
        if url in ("/api/docs/", "/api/redoc/"):
            assert options.status_code == 405
            continue
        if "GET" in options.headers.get("Allow", "") or options.status_code == 405:
            get = client.get(url)
            if get.streaming:  # a download: read to the end, so the file is closed
                b"".join(get.streaming_content)
            expected = get.status_code if get.status_code in (401, 403, 404) else 200
        else:
            expected = options.status_code if options.status_code in (401, 403, 404) else 200
        if options.status_code != expected:
            wrong[url] = (options.status_code, expected)
        elif expected == 200:
            assert described(options), (url, options.content)
        else:
            assert_error(options, expected)
    assert wrong == {}, "OPTIONS status, expected"


def test_a_draft_is_described_to_its_owner_and_unseen_by_a_solver(world):
    draft = world.challenges[-1]
    url = f"/api/v1/challenges/{draft}/"
    assert described(client_as(world, "owner").options(url))
    assert_error(client_as(world, "solver").options(url), 404, "not_found")
    assert_error(client_as(world, "anonymous").options(url), 404, "not_found")


def test_options_under_an_unknown_path_is_a_json_404(world):
    assert_error(client_as(world, "owner").options("/api/v1/challenges/1/nothing/"), 404)


def test_every_route_is_walked(world):
    walked = urls(world)
    assert "/api/v1/auth/token/" in walked
    assert f"/api/v1/challenges/{world.challenges[-1]}/submit/" in walked
    assert f"/api/v1/teams/{world.ids['teams']['pk']}/shares/" in walked
    assert len(walked) > 80
