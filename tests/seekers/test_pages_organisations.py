"""Organisation pages: founding one, the members page, invitations and roles."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.organisations.roles import OrgRole
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_ORG = reverse("seekers:organization_create")


def members_url(org) -> str:
    return reverse("seekers:organization_members", args=[org.pk])


def role_url(org, membership) -> str:
    return reverse("seekers:membership_role", args=[org.pk, membership.pk])


def role_of(user, org) -> str | None:
    membership = Membership.objects.filter(user=user, organization=org).first()
    return membership.role if membership else None


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


class TestCreate:
    def test_login_required(self, client, db):
        response = client.get(NEW_ORG)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_founder_becomes_owner(self, client, solver):
        client.force_login(solver)
        response = client.post(
            NEW_ORG,
            {"name": "Helio Labs", "description": "Solar.", "website": "https://helio.example"},
            follow=True,
        )
        org = Organization.objects.get(name="Helio Labs")
        assert org.website == "https://helio.example"
        assert role_of(solver, org) == OrgRole.OWNER
        assert response.redirect_chain[-1][0] == reverse("seekers:dashboard")
        assert "Organisation “Helio Labs” created. You are its owner." in messages_of(response)
        assert reverse("seekers:challenge_create", args=[org.pk]) in response.content.decode()

    def test_duplicate_name_is_shown_next_to_the_field(self, client, solver, org):
        client.force_login(solver)
        response = client.post(NEW_ORG, {"name": org.name})
        assert response.context["form"].errors["name"] == [
            "An organisation with this name already exists."
        ]
        assert "An organisation with this name already exists." in response.content.decode()
        assert Organization.objects.count() == 1
        assert not Membership.objects.filter(user=solver).exists()


class TestMembersPage:
    def test_lists_members_with_roles_and_owner_tools(self, client, org, owner, judge):
        client.force_login(owner)
        content = client.get(members_url(org)).content.decode()
        assert judge.email in content and owner.email in content
        assert "Judge" in content and "Owner" in content
        assert "Send invitation" in content
        assert role_url(org, Membership.objects.get(user=judge)) in content

    def test_non_owners_see_members_but_no_tools(self, client, org, owner, judge):
        client.force_login(judge)
        content = client.get(members_url(org)).content.decode()
        assert owner.email in content
        assert "Send invitation" not in content
        assert "Pending invitations" not in content

    @pytest.mark.parametrize("who", ["solver", "outsider"])
    def test_non_members_get_404(self, client, request, org, owner, who):
        client.force_login(request.getfixturevalue(who))
        assert client.get(members_url(org)).status_code == 404


class TestInvitations:
    def test_owner_invites_and_the_mail_carries_the_accept_link(
        self, client, org, owner, django_capture_on_commit_callbacks
    ):
        client.force_login(owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                members_url(org),
                {"email": "New.Judge@example.com", "role": OrgRole.JUDGE},
                follow=True,
            )
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role, invitation.organization) == (
            "new.judge@example.com",
            OrgRole.JUDGE,
            org,
        )
        assert "Invitation sent to new.judge@example.com." in messages_of(response)
        assert "new.judge@example.com" in response.content.decode()  # pending list
        [message] = mail.outbox
        assert message.to == ["new.judge@example.com"]
        accept = reverse("seekers:invitation_accept", args=[invitation.token])
        assert accept in message.body

    def test_invalid_address_is_shown_next_to_the_field(self, client, org, owner):
        client.force_login(owner)
        response = client.post(members_url(org), {"email": "not-an-address", "role": "judge"})
        assert "email" in response.context["form"].errors
        assert not Invitation.objects.exists()

    def test_managers_cannot_invite(self, client, org, owner, manager):
        client.force_login(manager)
        response = client.post(members_url(org), {"email": "x@example.com", "role": "owner"})
        assert "Only an owner of the organisation can do this." in messages_of(response)
        assert not Invitation.objects.exists()

    def test_invited_person_accepts(self, client, org, owner):
        invitee = UserFactory(email="invitee@example.com")
        invitation = Invitation.objects.create(
            organization=org, email=invitee.email, role=OrgRole.MANAGER, invited_by=owner
        )
        client.force_login(invitee)
        url = reverse("seekers:invitation_accept", args=[invitation.token])
        assert client.get(url).status_code == 200 and role_of(invitee, org) is None
        response = client.post(url, follow=True)
        assert role_of(invitee, org) == OrgRole.MANAGER
        assert f"You joined {org.name} as Manager." in messages_of(response)
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None

    def test_accepting_needs_login(self, client, org, owner):
        invitation = Invitation.objects.create(
            organization=org, email="a@example.com", role=OrgRole.JUDGE, invited_by=owner
        )
        response = client.post(reverse("seekers:invitation_accept", args=[invitation.token]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert Invitation.objects.get().accepted_at is None

    def test_wrong_email_is_refused(self, client, org, owner, solver):
        invitation = Invitation.objects.create(
            organization=org, email="someone.else@example.com", role=OrgRole.OWNER, invited_by=owner
        )
        client.force_login(solver)
        response = client.post(reverse("seekers:invitation_accept", args=[invitation.token]))
        assert response.status_code == 400
        assert "This invitation was sent to another e-mail address." in response.content.decode()
        assert role_of(solver, org) is None
        assert Invitation.objects.get().accepted_at is None

    def test_unknown_token_is_refused(self, client, solver):
        client.force_login(solver)
        response = client.post(reverse("seekers:invitation_accept", args=["nope"]))
        assert "This invitation is not valid any more." in response.content.decode()
        assert not Membership.objects.filter(user=solver).exists()


class TestRoles:
    def test_owner_changes_a_role(self, client, org, owner, judge):
        membership = Membership.objects.get(user=judge)
        client.force_login(owner)
        response = client.post(role_url(org, membership), {"role": OrgRole.MANAGER}, follow=True)
        assert role_of(judge, org) == OrgRole.MANAGER
        assert f"{judge.email} is now Manager." in messages_of(response)

    def test_last_owner_cannot_step_down(self, client, org, owner):
        client.force_login(owner)
        response = client.post(
            role_url(org, Membership.objects.get(user=owner)), {"role": OrgRole.JUDGE}, follow=True
        )
        assert role_of(owner, org) == OrgRole.OWNER
        assert "An organisation needs at least one owner." in messages_of(response)

    def test_last_owner_cannot_be_removed(self, client, org, owner):
        client.force_login(owner)
        membership = Membership.objects.get(user=owner)
        response = client.post(
            reverse("seekers:membership_remove", args=[org.pk, membership.pk]), follow=True
        )
        assert role_of(owner, org) == OrgRole.OWNER
        assert "An organisation needs at least one owner." in messages_of(response)

    def test_owner_steps_down_when_another_owner_exists(self, client, org, owner):
        MembershipFactory(organization=org, role=OrgRole.OWNER)
        client.force_login(owner)
        client.post(role_url(org, Membership.objects.get(user=owner)), {"role": OrgRole.JUDGE})
        assert role_of(owner, org) == OrgRole.JUDGE

    def test_manager_cannot_change_roles(self, client, org, owner, manager, judge):
        client.force_login(manager)
        response = client.post(
            role_url(org, Membership.objects.get(user=judge)), {"role": OrgRole.OWNER}, follow=True
        )
        assert role_of(judge, org) == OrgRole.JUDGE
        assert "Only an owner of the organisation can do this." in messages_of(response)

    def test_unknown_role_is_refused(self, client, org, owner, judge):
        client.force_login(owner)
        response = client.post(
            role_url(org, Membership.objects.get(user=judge)), {"role": "emperor"}, follow=True
        )
        assert role_of(judge, org) == OrgRole.JUDGE
        assert "Choose owner, manager or judge." in messages_of(response)

    def test_owner_removes_a_member(self, client, org, owner, judge):
        client.force_login(owner)
        membership = Membership.objects.get(user=judge)
        client.post(reverse("seekers:membership_remove", args=[org.pk, membership.pk]))
        assert role_of(judge, org) is None

    def test_membership_of_another_organisation_is_404(self, client, org, owner):
        other = MembershipFactory(organization=OrganizationFactory(), role=OrgRole.JUDGE)
        client.force_login(owner)
        response = client.post(role_url(org, other), {"role": OrgRole.OWNER})
        assert response.status_code == 404
        assert Membership.objects.get(pk=other.pk).role == OrgRole.JUDGE
