"""Team endpoints: the permission matrix for every endpoint and caller, with proof that
a refused request wrote nothing, then the outcomes that matter."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.teams.models import Team, TeamMember
from marketplace.teams.states import TeamMemberState as M
from tests.api_calls import call
from tests.factories import UserFactory
from tests.teams.conftest import shares_of

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous", "other", "member", "captain", "invitee", "staff"]


def expect(anonymous, other, member, captain, invitee, staff):
    return dict(zip(CALLERS, (anonymous, other, member, captain, invitee, staff), strict=True))


def _team(c):
    return f"/api/v1/teams/{c.team.pk}/"


CASES = {
    "my teams": (
        lambda c: ("get", "/api/v1/teams/", None),
        expect(401, 200, 200, 200, 200, 200),
    ),
    "form a team": (
        lambda c: ("post", "/api/v1/teams/", {"challenge": c.challenge.pk, "name": "Wave"}),
        expect(401, 201, 409, 409, 403, 403),
    ),
    "team detail": (
        lambda c: ("get", _team(c), None),
        expect(401, 404, 200, 200, 200, 200),
    ),
    "invite": (
        lambda c: ("post", _team(c) + "invitations/", {"email": UserFactory().email}),
        expect(401, 404, 403, 201, 403, 403),
    ),
    "accept the invitation": (
        lambda c: ("post", _team(c) + "respond/", {"accept": True}),
        expect(401, 404, 409, 409, 200, 403),
    ),
    "set the shares": (
        lambda c: (
            "put",
            _team(c) + "shares/",
            {
                "shares": [
                    {"user": c.captain.pk, "share_bps": 4000},
                    {"user": c.member.pk, "share_bps": 6000},
                ]
            },
        ),
        expect(401, 404, 403, 200, 403, 403),
    ),
    "withdraw myself": (
        lambda c: ("post", _team(c) + "withdraw/", {}),
        expect(401, 404, 200, 400, 200, 400),
    ),
    "withdraw the member": (
        lambda c: ("post", _team(c) + "withdraw/", {"user": c.member.pk}),
        expect(401, 404, 200, 200, 403, 403),
    ),
}


def _rows():
    return {
        model.__name__: list(model.objects.order_by("pk").values()) for model in (Team, TeamMember)
    }


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("case", CASES)
def test_permission_matrix(cast, case, caller):
    setup, expected = CASES[case]
    method, url, data = setup(cast)
    user = None if caller == "anonymous" else getattr(cast, caller)
    before = _rows()
    response = call(user, method, url, data)
    assert response.status_code == expected[caller], response.content
    if response.status_code >= 400:
        body = response.json()
        assert body["code"] and body["detail"]
        assert _rows() == before


def test_staff_read_a_team_but_their_own_list_is_empty(cast):
    body = call(cast.staff, "get", _team(cast)).json()
    assert body["name"] == "Tide"
    assert call(cast.staff, "get", "/api/v1/teams/").json()["count"] == 0


def test_my_teams_lists_teams_i_am_in_or_invited_to(cast):
    for user in (cast.captain, cast.member, cast.invitee):
        body = call(user, "get", "/api/v1/teams/").json()
        assert [t["id"] for t in body["results"]] == [cast.team.pk]
    assert call(cast.other, "get", "/api/v1/teams/").json()["results"] == []


def test_a_team_shows_its_members_and_shares(cast):
    body = call(cast.member, "get", _team(cast)).json()
    assert body["challenge"] == cast.challenge.pk and body["captain"] == cast.captain.pk
    assert [(m["name"], m["state"], m["share_bps"]) for m in body["members"]] == [
        ("Ada Captain", "active", 5000),
        ("Ben Member", "active", 5000),
        ("Cy Invitee", "invited", 0),
    ]


def test_forming_a_team(cast):
    response = call(
        cast.other, "post", "/api/v1/teams/", {"challenge": cast.challenge.pk, "name": "Wave"}
    )
    assert response.status_code == 201
    team = Team.objects.get(pk=response.json()["id"])
    assert team.captain == cast.other
    assert shares_of(team) == {cast.other.pk: (M.ACTIVE, 10_000)}


def test_forming_a_team_for_an_unknown_challenge_is_a_404(cast):
    response = call(cast.other, "post", "/api/v1/teams/", {"challenge": 987654, "name": "Wave"})
    assert response.status_code == 404


def test_inviting_someone_without_an_account_is_a_400(cast):
    response = call(
        cast.captain, "post", _team(cast) + "invitations/", {"email": "nobody@example.org"}
    )
    assert response.status_code == 400
    assert "email" in response.json()["fields"]


def test_inviting_mails_the_invitee(cast, django_capture_on_commit_callbacks):
    newcomer = UserFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = call(
            cast.captain, "post", _team(cast) + "invitations/", {"email": newcomer.email}
        )
    assert response.json()["state"] == "invited"
    assert [m.to for m in mail.outbox] == [[newcomer.email]]


def test_shares_not_adding_up_are_a_400_and_change_nothing(cast):
    before = shares_of(cast.team)
    response = call(
        cast.captain,
        "put",
        _team(cast) + "shares/",
        {
            "shares": [
                {"user": cast.captain.pk, "share_bps": 5000},
                {"user": cast.member.pk, "share_bps": 4999},
            ]
        },
    )
    assert response.status_code == 400
    assert "add up to 9,999 basis points" in response.json()["fields"]["shares"][0]
    assert shares_of(cast.team) == before


def test_a_member_listed_twice_is_a_400(cast):
    response = call(
        cast.captain,
        "put",
        _team(cast) + "shares/",
        {
            "shares": [
                {"user": cast.captain.pk, "share_bps": 5000},
                {"user": cast.captain.pk, "share_bps": 5000},
            ]
        },
    )
    assert response.status_code == 400
    assert "shares" in response.json()["fields"]


def test_shares_after_the_deadline_are_a_409(cast):
    before = shares_of(cast.team)
    Challenge.objects.filter(pk=cast.challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    response = call(
        cast.captain,
        "put",
        _team(cast) + "shares/",
        {
            "shares": [
                {"user": cast.captain.pk, "share_bps": 1000},
                {"user": cast.member.pk, "share_bps": 9000},
            ]
        },
    )
    assert response.status_code == 409
    assert response.json()["code"] == "team_final" and response.json()["state"] == "open"
    assert shares_of(cast.team) == before


def test_joining_and_leaving_resplit_the_shares(cast):
    call(cast.invitee, "post", _team(cast) + "respond/", {"accept": True})
    body = call(cast.captain, "get", _team(cast)).json()
    assert [m["share_bps"] for m in body["members"]] == [3334, 3333, 3333]
    response = call(cast.captain, "post", _team(cast) + "withdraw/", {"user": cast.member.pk})
    assert response.json()["state"] == "withdrawn" and response.json()["share_bps"] == 0
    assert shares_of(cast.team) == {
        cast.captain.pk: (M.ACTIVE, 5000),
        cast.member.pk: (M.WITHDRAWN, 0),
        cast.invitee.pk: (M.ACTIVE, 5000),
    }
    assert call(cast.member, "get", _team(cast)).status_code == 404


def test_declining_hides_the_team(cast):
    response = call(cast.invitee, "post", _team(cast) + "respond/", {"accept": False})
    assert response.json()["state"] == "declined"
    assert call(cast.invitee, "get", _team(cast)).status_code == 404


def test_answering_needs_a_yes_or_no(cast):
    response = call(cast.invitee, "post", _team(cast) + "respond/", {})
    assert response.status_code == 400 and "accept" in response.json()["fields"]


def test_unknown_team_paths_are_json_404s(cast):
    for path in (f"/api/v1/teams/{cast.team.pk}/nope/", "/api/v1/teams/abc/", "/api/v1/me/x/"):
        response = call(cast.captain, "get", path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
