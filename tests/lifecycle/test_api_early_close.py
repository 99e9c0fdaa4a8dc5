"""Closing early through the API: the transition's endpoint, the owner's request and
the staff's decision."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.models import EarlyCloseRequest, EarlyCloseState
from marketplace.notifications.models import Notification, NotificationKind
from tests.api_calls import assert_error, call
from tests.factories import ChallengeFactory, RegistrationFactory, submission_for

pytestmark = pytest.mark.django_db

REASON = "The problem was solved in-house."


@pytest.fixture
def live(org):
    return ChallengeFactory(organization=org, state=S.OPEN)


@pytest.fixture
def with_entry(live, solver):
    RegistrationFactory(challenge=live, user=solver)
    submission_for(live, solver)
    return live


def close_early(user, challenge, reason=REASON):
    return call(user, "post", f"/api/v1/challenges/{challenge.pk}/close_early/", {"reason": reason})


def ask(user, challenge, reason=REASON):
    url = f"/api/v1/challenges/{challenge.pk}/early-close-requests/"
    return call(user, "post", url, {"reason": reason})


def test_owner_closes_early_without_entries(live, owner):
    response = close_early(owner, live)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "closed"
    assert body["submission_deadline"] == Challenge.objects.get(
        pk=live.pk
    ).submission_deadline.isoformat().replace("+00:00", "Z")


def test_reason_is_required_and_bounded(live, owner):
    assert_error(close_early(owner, live, ""), 400)
    assert_error(close_early(owner, live, "x" * 1001), 400)
    assert Challenge.objects.get(pk=live.pk).state == S.OPEN


def test_owner_refused_with_entries_then_asks_and_staff_approve(with_entry, owner, staff, solver):
    body = assert_error(close_early(owner, with_entry), 409, "entries_exist")
    assert "only staff" in body["detail"]
    response = ask(owner, with_entry)
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    assert response.json()["state"] == "pending"
    assert_error(ask(owner, with_entry), 409, "already_requested")
    listed = call(staff, "get", "/api/v1/staff/early-close-requests/").json()
    assert [r["id"] for r in listed] == [request_id]
    mine = call(owner, "get", f"/api/v1/challenges/{with_entry.pk}/early-close-requests/").json()
    assert [(r["id"], r["reason"]) for r in mine] == [(request_id, REASON)]
    approved = call(staff, "post", f"/api/v1/staff/early-close-requests/{request_id}/approve/")
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"
    assert Challenge.objects.get(pk=with_entry.pk).state == S.CLOSED
    assert Notification.objects.filter(kind=NotificationKind.CLOSED_EARLY, user=solver).count() == 1
    again = call(staff, "post", f"/api/v1/staff/early-close-requests/{request_id}/approve/")
    assert_error(again, 409, "already_decided")


def test_staff_refuse_with_a_note(with_entry, owner, staff):
    request_id = ask(owner, with_entry).json()["id"]
    url = f"/api/v1/staff/early-close-requests/{request_id}/refuse/"
    assert_error(call(staff, "post", url, {"note": ""}), 400)
    response = call(staff, "post", url, {"note": "Wait for the deadline."})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["note"]) == (
        "refused",
        "Wait for the deadline.",
    )
    assert Challenge.objects.get(pk=with_entry.pk).state == S.OPEN
    assert Notification.objects.get(kind=NotificationKind.EARLY_CLOSE_REFUSED).user == owner


@pytest.mark.parametrize("who", ["owner", "solver", None])
def test_staff_endpoints_are_404_to_others(with_entry, owner, request, who):
    pending = EarlyCloseRequest.objects.create(challenge=with_entry, requested_by=owner, reason="R")
    user = request.getfixturevalue(who) if who else None
    for method, url in (
        ("get", "/api/v1/staff/early-close-requests/"),
        ("post", f"/api/v1/staff/early-close-requests/{pending.pk}/approve/"),
        ("post", f"/api/v1/staff/early-close-requests/{pending.pk}/refuse/"),
    ):
        assert call(user, method, url, {"note": "x"}).status_code in (401, 404)
    pending.refresh_from_db()
    assert pending.state == EarlyCloseState.PENDING


def test_schema_describes_close_early_and_the_requests():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    close = paths["/api/v1/challenges/{id}/close_early/"]["post"]
    assert close["summary"] == "Close early"
    assert "only staff may" in close["description"]
    ask_op = paths["/api/v1/challenges/{id}/early-close-requests/"]["post"]
    assert "201" in ask_op["responses"] and "409" in ask_op["responses"]
    assert "/api/v1/staff/early-close-requests/{id}/approve/" in paths
    assert "/api/v1/staff/early-close-requests/{id}/refuse/" in paths
