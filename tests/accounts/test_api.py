"""Token authentication end to end, and session authentication beside it."""

import pytest
from allauth.account.models import EmailAddress
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api_calls import assert_error, challenge_payload
from tests.factories import PASSWORD, ChallengeFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def verify(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def test_token_works_end_to_end(org, owner):
    verify(owner)
    client = APIClient()
    response = client.post(
        TOKEN, {"email": owner.email.upper(), "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    key = response.json()["token"]
    assert Token.objects.get(key=key).user == owner

    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    created = client.post("/api/v1/challenges/", challenge_payload(org), format="json")
    assert created.status_code == 201, created.content
    mine = client.get("/api/v1/challenges/?mine=1").json()["results"]
    assert [row["id"] for row in mine] == [created.json()["id"]]
    again = APIClient().post(TOKEN, {"email": owner.email, "password": PASSWORD}, format="json")
    assert again.json()["token"] == key


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_wrong_credentials_get_no_token(solver, password):
    verify(solver)
    response = APIClient().post(TOKEN, {"email": solver.email, "password": password}, format="json")
    assert_error(response, 400, "invalid")
    assert not Token.objects.exists()


def test_unverified_address_gets_no_token(solver):
    response = APIClient().post(TOKEN, {"email": solver.email, "password": PASSWORD}, format="json")
    assert "Verify your e-mail address" in assert_error(response, 400, "invalid")["detail"]
    assert not Token.objects.exists()


def test_bad_token_is_401(org):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get("/api/v1/challenges/"), 401, "authentication_failed")


def test_anonymous_write_is_401_with_a_challenge_header(org):
    response = APIClient().post("/api/v1/challenges/", challenge_payload(org), format="json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_session_authentication_works(org, judge):
    draft = ChallengeFactory(organization=org)
    client = APIClient()
    client.login(email=judge.email, password=PASSWORD)
    assert client.get(f"/api/v1/challenges/{draft.pk}/").status_code == 200


def test_password_guessing_is_throttled(solver):
    client = APIClient()
    statuses = [
        client.post(TOKEN, {"email": solver.email, "password": "guess"}, format="json").status_code
        for _ in range(11)
    ]
    assert statuses == [400] * 10 + [429]
    assert_error(client.post(TOKEN, {}, format="json"), 429, "throttled")
