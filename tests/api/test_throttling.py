"""Every request that changes something through the API is rate limited (429 with
Retry-After once over the limit); reads are not. The routes come from the OpenAPI
schema, so a new endpoint is covered without touching this file."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api_calls import assert_error, call, client_for
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
TIGHT_RATES = {
    "writes": "2/min",
    "invitations": "2/min",
    "uploads": "2/min",
    "token": "2/min",
    "erasure": "2/min",
}


def _unsafe_operations() -> list[tuple[str, str]]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return sorted(
        (method, re.sub(r"\{[^}]+\}", "7", path))  # any id: counted before any look-up
        for path, operations in paths.items()
        for method in UNSAFE
        if method in operations
    )


OPERATIONS = _unsafe_operations()


@pytest.fixture
def tight(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": TIGHT_RATES}


def test_the_schema_lists_the_writes():
    assert ("post", "/api/v1/organizations/7/invitations/") in OPERATIONS
    assert ("post", "/api/v1/submissions/7/files/") in OPERATIONS
    assert len(OPERATIONS) > 40


@pytest.mark.parametrize(("method", "url"), OPERATIONS)
def test_every_write_is_limited(tight, method, url):
    """Staff passes every permission class, so the third request meets the limit
    whatever the first two answered (404, 400, 405...)."""
    client = client_for(StaffFactory())
    send = getattr(client, method)
    for _ in range(2):
        assert send(url, {}, format="json").status_code != 429
    response = send(url, {}, format="json")
    body = assert_error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert body["retry_after"] == int(response["Retry-After"])
    assert f"{body['retry_after']} second" in body["detail"]


def test_reads_are_not_counted(tight, solver):
    client = client_for(solver)
    assert {client.get("/api/v1/challenges/").status_code for _ in range(5)} == {200}


def test_each_user_has_their_own_count(tight, solver, owner):
    for _ in range(3):
        call(solver, "post", "/api/v1/organizations/", {"name": ""})
    assert call(owner, "post", "/api/v1/organizations/", {"name": ""}).status_code == 400


def test_invitations_have_their_own_tighter_scope(settings, org, owner):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**TIGHT_RATES, "writes": "100/min", "invitations": "1/min"},
    }
    url = f"/api/v1/organizations/{org.pk}/invitations/"
    invite = {"email": "ada@example.com", "role": "judge"}
    assert call(owner, "post", url, invite).status_code == 201
    assert_error(call(owner, "post", url, invite), 429, "throttled")
    assert call(owner, "post", "/api/v1/organizations/", {"name": ""}).status_code == 400


def test_the_wait_is_said_in_the_request_language(tight, solver):
    for _ in range(2):
        call(solver, "post", "/api/v1/organizations/", {"name": ""})
    response = call(solver, "post", "/api/v1/organizations/", {"name": ""}, language="es")
    assert_error(response, 429, "throttled")
    assert response.json()["detail"].startswith("Demasiadas solicitudes")


def test_the_schema_documents_429_on_every_write():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, operations in paths.items():
        for method in UNSAFE:
            if method in operations:
                limit = operations[method]["responses"]["429"]
                schema = limit["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Limit"}, (method, path)
