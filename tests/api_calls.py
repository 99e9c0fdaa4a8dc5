"""Calling the API in tests as any role, and checking its answers and what it wrote."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from marketplace.challenges.models import Challenge, ChallengeEvent, PlannedAward, Requirement
from marketplace.ideation.models import Comment, Idea, Report, Support
from marketplace.notifications.models import NotificationPreference
from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.participation.models import Clarification, Registration

ROLES = ["anonymous", "solver", "outsider", "judge", "manager", "owner", "staff"]


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def call(user, method: str, url: str, data=None, language: str | None = None):
    """An API request as `user` (None: anonymous), JSON in and out; `language` is sent
    as Accept-Language."""
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return getattr(client_for(user), method)(url, data, format="json", **headers)


def db_state() -> dict:
    """Everything an API call could write, to prove a refused call wrote nothing."""

    def rows(model):
        return list(model.objects.order_by("pk").values())

    return {
        model.__name__: rows(model)
        for model in (
            Challenge,
            Requirement,
            PlannedAward,
            ChallengeEvent,
            Registration,
            Clarification,
            Organization,
            Membership,
            Invitation,
            Token,
            NotificationPreference,
            Idea,
            Support,
            Comment,
            Report,
        )
    }


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["detail"], str) and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


def future(days: int = 30) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


def challenge_payload(org=None, **changes) -> dict:
    data = {
        "title": "Cheaper desalination membrane",
        "summary": "A membrane that halves the energy of reverse osmosis.",
        "brief": "## Context\nWe run **plants**.",
        "kind": "rtp",
        "prize_pool": "50000.00",
        "currency": "EUR",
        "ip_model": "licence",
        "submission_deadline": future(30),
        "judging_deadline": future(60),
        "requirements": [
            {"title": "Energy use", "description": "kWh per m3", "weight": 60},
            {"title": "Durability", "weight": 40},
        ],
        "award_amounts": ["30000.00", "20000.00"],
        "eligibility": "Anyone.",
        "hide_seeker": False,
    }
    if org is not None:
        data["organization"] = org.pk
    data.update(changes)
    return data
