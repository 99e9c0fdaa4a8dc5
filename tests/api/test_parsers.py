"""Request bodies the API cannot take are a 400 in the API's error shape, never a server
error: too deeply nested, too large, not UTF-8, not JSON, not an object; forms over
Django's limits too. Walked over every route, and spelled out on a few."""

import json

import pytest
from rest_framework.test import APIClient

from marketplace.core.api.parsers import MAX_DEPTH
from marketplace.organisations.models import Organization
from tests.api.world import build_world, urls
from tests.api_calls import assert_error, client_for
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000  # about the size a fuzzer sends: 5 KB


def nested(levels: int) -> str:
    """An object nesting `levels` levels: {"a": {"a": ... {} ...}}."""
    return '{"a": ' * (levels - 1) + "{}" + "}" * (levels - 1)


def post_raw(client, url: str, body, content_type: str = "application/json"):
    return client.post(url, body, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "code"), [(DEEP, "too_deep"), ("[1, 2]", "invalid")], ids=["deep", "list"]
)
def test_no_route_fails_on_a_hostile_body(org, owner, staff, body, code):
    world = build_world(org, owner, staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=world.token("owner")["Authorization"])
    refused = 0
    for url in urls(world):
        for method in ("post", "put", "patch"):
            response = getattr(client, method)(url, body, content_type="application/json")
            assert response.status_code < 500, (method, url, response.content)
            if response.status_code == 400:
                assert_error(response, 400, code)
                refused += 1
    assert refused > 40


def test_the_token_endpoint_refuses_a_deep_body():
    assert_error(post_raw(APIClient(), "/api/v1/auth/token/", DEEP), 400, "too_deep")


class TestLimits:
    URL = "/api/v1/organizations/"

    def test_the_deepest_allowed_body_is_read(self, owner):
        response = post_raw(client_for(owner), self.URL, nested(MAX_DEPTH))
        assert_error(response, 400, "invalid")  # parsed: the serializer wants a name

    def test_one_level_more_is_refused(self, owner):
        response = post_raw(client_for(owner), self.URL, nested(MAX_DEPTH + 1))
        body = assert_error(response, 400, "too_deep")
        assert str(MAX_DEPTH) in body["detail"]

    def test_deep_inside_a_field(self, owner):
        body = json.dumps({"name": "Deep Labs", "x": json.loads(nested(MAX_DEPTH))})
        assert_error(post_raw(client_for(owner), self.URL, body), 400, "too_deep")
        assert not Organization.objects.filter(name="Deep Labs").exists()

    def test_too_large(self, owner, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        body = json.dumps({"name": "x" * 1000})
        assert_error(post_raw(client_for(owner), self.URL, body), 400, "too_large")

    def test_too_large_as_a_form(self, owner, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        response = post_raw(
            client_for(owner),
            "/api/v1/auth/token/",
            "email=a%40b.c&password=" + "x" * 1000,
            "application/x-www-form-urlencoded",
        )
        assert_error(response, 400, "too_large")

    def test_too_many_form_fields(self, settings):
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
        body = "&".join(f"f{n}=1" for n in range(11))
        response = post_raw(
            APIClient(), "/api/v1/auth/token/", body, "application/x-www-form-urlencoded"
        )
        assert_error(response, 400, "too_many_fields")

    def test_not_utf8(self, owner):
        body = '{"name": "Caf\xe9 Labs"}'.encode("latin-1")
        assert_error(post_raw(client_for(owner), self.URL, body), 400, "not_utf8")

    @pytest.mark.parametrize("body", ['{"name": NaN}', "{not json", '{"name": "a"} x'])
    def test_not_json(self, owner, body):
        assert_error(post_raw(client_for(owner), self.URL, body), 400, "parse_error")

    @pytest.mark.parametrize("body", ["[1, 2]", '"Labs"', "3", "null", "true"])
    def test_not_an_object(self, owner, body):
        before = Organization.objects.count()
        assert_error(post_raw(client_for(owner), self.URL, body), 400, "invalid")
        assert Organization.objects.count() == before

    def test_a_good_body_still_works(self, owner):
        response = post_raw(client_for(owner), self.URL, json.dumps({"name": "Good Labs"}))
        assert response.status_code == 201, response.content

    def test_registering_with_a_list_is_refused(self, solver):
        challenge = ChallengeFactory(state="open")
        url = f"/api/v1/challenges/{challenge.pk}/register/"
        assert_error(post_raw(client_for(solver), url, '["x"]'), 400, "invalid")
        assert not challenge.registrations.exists()
