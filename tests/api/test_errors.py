"""The error body: a stable code and a readable detail for every kind of failure."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from marketplace.challenges.models import ChallengeState as S
from marketplace.core.api.errors import exception_handler
from marketplace.core.errors import IllegalTransition, NotAllowed
from tests.api_calls import assert_error, call, challenge_payload, client_for
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_malformed_json_is_a_parse_error(org, owner):
    response = client_for(owner).post(
        "/api/v1/challenges/", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_wrong_method(draft, owner):
    assert_error(
        call(owner, "delete", f"/api/v1/challenges/{draft.pk}/"), 405, "method_not_allowed"
    )


def test_unknown_paths_under_the_api_are_json(owner):
    for url in (
        "/api/v1/challenges/1/nothing/",
        "/api/v1/challenges/abc/",
        "/api/v1/organizations/1/nothing/",
        "/api/v1/clarifications/",
    ):
        assert_error(call(owner, "get", url), 404, "not_found")


def test_huge_ids_are_404(owner):
    assert_error(call(owner, "get", f"/api/v1/challenges/{10**30}/"), 404, "not_found")


def test_nested_field_errors_are_flattened(org, owner):
    payload = challenge_payload(
        org, requirements=[{"title": "A", "weight": 50}, {"title": "B", "weight": "50"}]
    )
    body = assert_error(call(owner, "post", "/api/v1/challenges/", payload), 400, "invalid")
    assert list(body["fields"]) == ["requirements.1.weight"]


def test_errors_follow_the_language(org, owner):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(owner)
    challenge = ChallengeFactory(organization=org, state=S.OPEN)
    body = client.post(f"/api/v1/challenges/{challenge.pk}/nothing/").json()
    assert body["code"] == "not_found" and body["detail"] != "Not found."


class TestHandler:
    """Domain errors raised by services, mapped directly."""

    def test_illegal_transition(self):
        response = exception_handler(
            IllegalTransition("Not now.", state="closed", code="not_open"), {}
        )
        assert response.status_code == 409
        assert response.data == {"code": "not_open", "detail": "Not now.", "state": "closed"}

    def test_not_allowed(self):
        response = exception_handler(NotAllowed("Owners only."), {})
        assert response.status_code == 403
        assert response.data == {"code": "permission_denied", "detail": "Owners only."}

    def test_django_validation_error_with_fields(self):
        response = exception_handler(ValidationError({"title": ["Give it a title."]}), {})
        assert response.status_code == 400
        assert response.data["fields"] == {"title": ["Give it a title."]}

    def test_django_validation_error_without_fields(self):
        response = exception_handler(ValidationError("Something is off."), {})
        assert response.data == {"code": "invalid", "detail": "Something is off."}

    def test_unexpected_errors_are_left_to_django(self):
        assert exception_handler(RuntimeError("boom"), {}) is None
