"""The OpenAPI schema generates cleanly and documents every endpoint."""

import pytest
import yaml
from django.core.management import call_command

from marketplace.challenges.transitions import transition_names


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    for name in transition_names():
        assert "post" in paths[f"/api/v1/challenges/{{id}}/{name}/"]
    assert {
        "/api/v1/challenges/{id}/extend-deadline/",
        "/api/v1/challenges/{id}/register/",
        "/api/v1/challenges/{id}/clarifications/",
        "/api/v1/clarifications/{id}/answer/",
        "/api/v1/organizations/{id}/members/{membership_id}/",
        "/api/v1/invitations/{token}/accept/",
        "/api/v1/auth/token/",
    } <= set(paths)


@pytest.mark.django_db
def test_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/challenges/{id}/submit/" in response.content
