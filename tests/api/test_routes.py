"""The lifecycle's and participation's routes under /challenges/{id}/ keep their URL
names, paths and OpenAPI operation ids (clients and pages reverse and call them)."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from marketplace.challenges.transitions import transition_names

ROUTES = {
    "challenge-extend-deadline": "/api/v1/challenges/1/extend-deadline/",
    "challenge-register": "/api/v1/challenges/1/register/",
    "challenge-clarifications": "/api/v1/challenges/1/clarifications/",
    "challenge-agreement": "/api/v1/challenges/1/agreement/",
    "clarification-answer": "/api/v1/clarifications/1/answer/",
    "challenge-early-close-requests": "/api/v1/challenges/1/early-close-requests/",
}

OPERATIONS = {
    ("/api/v1/challenges/{id}/extend-deadline/", "post"): "v1_challenges_extend_deadline_create",
    ("/api/v1/challenges/{id}/register/", "post"): "v1_challenges_register_create",
    ("/api/v1/challenges/{id}/clarifications/", "get"): "v1_challenges_clarifications_list",
    ("/api/v1/challenges/{id}/clarifications/", "post"): "v1_challenges_clarifications_create",
    ("/api/v1/challenges/{id}/agreement/", "get"): "v1_challenges_agreement_retrieve",
    ("/api/v1/clarifications/{id}/answer/", "post"): "v1_clarifications_answer_create",
    (
        "/api/v1/challenges/{id}/early-close-requests/",
        "get",
    ): "v1_challenges_early_close_requests_list",
    (
        "/api/v1/challenges/{id}/early-close-requests/",
        "post",
    ): "v1_challenges_early_close_requests_create",
    **{
        (f"/api/v1/challenges/{{id}}/{name}/", "post"): f"v1_challenges_{name}"
        for name in transition_names()
    },
}


@pytest.mark.parametrize(("name", "path"), ROUTES.items())
def test_each_route_keeps_its_name(name, path):
    assert reverse(name, args=[1]) == path


def test_each_operation_keeps_its_id_and_only_its_methods():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for (path, method), operation_id in OPERATIONS.items():
        assert paths[path][method]["operationId"] == operation_id
    for path in {path for path, _method in OPERATIONS}:
        assert set(paths[path]) == {method for p, method in OPERATIONS if p == path}


def test_a_clarifications_page_is_paginated():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    listing = paths["/api/v1/challenges/{id}/clarifications/"]["get"]
    assert [p["name"] for p in listing["parameters"]] == ["id", "page"]
    schema = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/PaginatedClarificationList"}
