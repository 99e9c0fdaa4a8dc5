"""Seeker organisations, members and invitations through the API."""

import pytest

from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.organisations.roles import OrgRole
from tests.api_calls import assert_error, call, db_state
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organizations/"


def test_founding_makes_me_the_owner(solver):
    response = call(
        solver, "post", ORGS, {"name": "  Blue Ocean Labs ", "website": "https://blue.example.com"}
    )
    assert response.status_code == 201, response.content
    org = Organization.objects.get(pk=response.json()["id"])
    assert org.name == "Blue Ocean Labs" and org.website == "https://blue.example.com"
    assert Membership.objects.get(organization=org).user == solver
    assert Membership.objects.get(organization=org).role == OrgRole.OWNER


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({}, "name"),
        ({"name": "Fine", "website": "not a url"}, "website"),
    ],
)
def test_bad_organisations_are_400(solver, data, field):
    before = db_state()
    body = assert_error(call(solver, "post", ORGS, data), 400, "invalid")
    assert field in body["fields"]
    assert db_state() == before


def test_names_are_unique(org, solver):
    body = assert_error(call(solver, "post", ORGS, {"name": org.name}), 400, "invalid")
    assert body["fields"]["name"] == ["An organisation with this name already exists."]


def test_lists_only_my_organisations(org, judge, outsider):
    names = [row["name"] for row in call(judge, "get", ORGS).json()["results"]]
    assert names == [org.name]
    assert call(outsider, "get", f"{ORGS}{org.pk}/").status_code == 404


def test_members_and_roles(org, owner, judge):
    rows = call(judge, "get", f"{ORGS}{org.pk}/members/").json()["results"]
    assert sorted((r["user"]["email"], r["role"]) for r in rows) == sorted(
        [(owner.email, "owner"), (judge.email, "judge")]
    )


class TestInvitations:
    def test_owner_invites_and_the_invitee_accepts(
        self, org, owner, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = call(
                owner,
                "post",
                f"{ORGS}{org.pk}/invitations/",
                {"email": "New.Judge@Example.com", "role": "judge"},
            )
        assert response.status_code == 201, response.content
        assert "token" not in response.json()
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role) == ("new.judge@example.com", "judge")
        assert [m.to for m in mailoutbox] == [["new.judge@example.com"]]
        assert invitation.token in mailoutbox[0].body

        invitee = UserFactory(email="new.judge@example.com")
        accepted = call(invitee, "post", f"/api/v1/invitations/{invitation.token}/accept/")
        assert accepted.status_code == 200, accepted.content
        assert accepted.json()["role"] == "judge" and accepted.json()["organization"] == org.pk
        assert Membership.objects.get(user=invitee).role == OrgRole.JUDGE
        again = call(invitee, "post", f"/api/v1/invitations/{invitation.token}/accept/")
        assert "token" in assert_error(again, 400, "invalid")["fields"]

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"email": "nope", "role": "judge"}, "email"),
            ({"email": "a@example.com", "role": "admin"}, "role"),
        ],
    )
    def test_bad_invitations_are_400(self, org, owner, data, field):
        body = assert_error(call(owner, "post", f"{ORGS}{org.pk}/invitations/", data), 400)
        assert field in body["fields"]
        assert not Invitation.objects.exists()

    def test_members_are_not_invited_again(self, org, owner, judge):
        body = assert_error(
            call(
                owner,
                "post",
                f"{ORGS}{org.pk}/invitations/",
                {"email": judge.email, "role": "manager"},
            ),
            400,
        )
        assert body["fields"]["email"] == ["This person is already a member."]

    def test_unknown_token_is_400(self, solver):
        assert_error(call(solver, "post", "/api/v1/invitations/no-such-token/accept/"), 400)


class TestMembers:
    def url(self, org, membership):
        return f"{ORGS}{org.pk}/members/{membership.pk}/"

    def test_owner_changes_a_role(self, org, owner, judge):
        membership = Membership.objects.get(user=judge)
        response = call(owner, "patch", self.url(org, membership), {"role": "manager"})
        assert response.status_code == 200, response.content
        assert response.json()["role"] == "manager"
        assert Membership.objects.get(pk=membership.pk).role == OrgRole.MANAGER

    def test_owner_removes_a_member(self, org, owner, judge):
        membership = Membership.objects.get(user=judge)
        assert call(owner, "delete", self.url(org, membership)).status_code == 204
        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_the_last_owner_stays(self, org, owner):
        membership = Membership.objects.get(user=owner)
        before = db_state()
        for method, data in (("patch", {"role": "judge"}), ("delete", None)):
            body = assert_error(call(owner, method, self.url(org, membership), data), 400)
            assert body["fields"]["role"] == ["An organisation needs at least one owner."]
        assert db_state() == before

    def test_membership_of_another_organisation_is_404(self, org, owner):
        elsewhere = MembershipFactory(role=OrgRole.JUDGE)
        before = db_state()
        assert_error(call(owner, "delete", self.url(org, elsewhere)), 404, "not_found")
        assert db_state() == before

    def test_bad_role_is_400(self, org, owner, judge):
        membership = Membership.objects.get(user=judge)
        body = assert_error(call(owner, "patch", self.url(org, membership), {"role": "boss"}), 400)
        assert "role" in body["fields"]
