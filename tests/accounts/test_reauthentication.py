"""Staff need two factors before any staff page or staff API works, and sensitive
changes (payout details, tax forms, organisation membership) ask for the password (the
second factor, with two factors) again unless given in the last few minutes; their API
versions answer 403 `reauthentication_required`."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from marketplace.organisations.models import Membership
from marketplace.organisations.roles import OrgRole
from payouts.models import PayoutAccount, TaxForm
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    StaffFactory,
    UserFactory,
    claim_awarded_challenge,
    totp_code,
)
from tests.reauth import forget_reauthentication, mark_reauthenticated
from tests.story import verified, w9

pytestmark = pytest.mark.django_db

REAUTHENTICATE = reverse("account_reauthenticate")


# --- staff without two factors ------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [reverse("staff_review_queue"), reverse("staff_dashboard"), "/admin/"]
)
def test_staff_without_two_factors_are_sent_to_set_them_up(client, url):
    client.force_login(StaffFactory(mfa=False))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/staff/deeds/", "/api/v1/ledger/accounts/"])
def test_staff_api_refuses_staff_without_two_factors(client, url):
    client.force_login(StaffFactory(mfa=False))
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


def test_staff_api_refuses_a_token_of_staff_without_two_factors():
    staff = StaffFactory(mfa=False)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    response = api.get("/api/v1/staff/payouts/")
    assert (response.status_code, response.json()["code"]) == (403, "mfa_required")


def test_staff_with_two_factors_get_in(client):
    client.force_login(StaffFactory())
    assert client.get(reverse("staff_review_queue")).status_code == 200
    assert client.get("/api/v1/staff/deeds/").status_code == 200


def test_others_still_get_404_from_staff_pages(client):
    client.force_login(UserFactory())
    assert client.get(reverse("staff_review_queue")).status_code == 404


# --- pages ask again -----------------------------------------------------------------------


def fresh_login(client, user):
    """Logged in, but not re-authenticated recently."""
    client.force_login(user)
    forget_reauthentication(client)


def test_the_tax_form_asks_for_the_password_before_it_is_shown(client):
    solver = verified(UserFactory())
    fresh_login(client, solver)
    url = reverse("solvers:tax_form") + "?kind=w9"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTHENTICATE}?next=%2Fsolver%2Ftax-form%2F%3Fkind%3Dw9"

    wrong = client.post(response["Location"], {"password": "not-my-password"})
    assert wrong.status_code == 200
    done = client.post(response["Location"], {"password": PASSWORD})
    assert done["Location"] == url
    assert client.get(url).status_code == 200
    client.post(url, {"kind": "w9", **w9(solver)})
    assert TaxForm.objects.filter(user=solver, kind="w9").count() == 1


def test_a_tax_form_posted_late_is_not_kept_while_asking(client):
    """The tax number is kept only encrypted: a form posted once the re-authentication
    ran out is dropped, not parked in the session to be replayed."""
    solver = verified(UserFactory())
    fresh_login(client, solver)
    response = client.post(reverse("solvers:tax_form"), {"kind": "w9", **w9(solver)})
    assert response["Location"].startswith(REAUTHENTICATE)
    assert "123-45-6789" not in str(dict(client.session.items()))
    done = client.post(response["Location"], {"password": PASSWORD})
    assert done["Location"] == reverse("solvers:tax_form") + "?kind=w9"
    assert not TaxForm.objects.filter(user=solver).exists()


def test_a_tax_form_step_of_the_award_page_asks_again(client, org, owner):
    won = claim_awarded_challenge(org, owner)
    fresh_login(client, won.winner)
    url = reverse("solvers:award_tax_form", args=[won.award.pk])
    response = client.post(url, {"kind": "w9", **w9(won.winner)})
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    assert "kind%3Dw9%23step-3" in response["Location"]
    assert not TaxForm.objects.filter(user=won.winner).exists()
    opened = client.get(reverse("solvers:award_detail", args=[won.award.pk]) + "?kind=w9")
    assert opened["Location"].startswith(REAUTHENTICATE)
    client.post(opened["Location"], {"password": PASSWORD})
    client.post(url, {"kind": "w9", **w9(won.winner)})
    assert TaxForm.objects.filter(user=won.winner).count() == 1


@pytest.mark.parametrize(
    "name", ["solvers:payout_setup", "solvers:award_payout_setup", "solvers:payout_setup_refresh"]
)
def test_setting_up_payouts_asks_again(client, settings, name):
    settings.PAYMENT_GATEWAY = "stripe"
    solver = verified(UserFactory())
    fresh_login(client, solver)
    args = [1] if name.startswith("solvers:award") else []
    method = client.get if name.endswith("refresh") else client.post
    response = method(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    assert not PayoutAccount.objects.exists()


def test_removing_a_member_asks_again_then_removes(client):
    owner_membership = MembershipFactory(role=OrgRole.OWNER)
    org, owner = owner_membership.organization, verified(owner_membership.user)
    member = MembershipFactory(organization=org, role=OrgRole.JUDGE)
    fresh_login(client, owner)
    url = reverse("seekers:membership_remove", args=[org.pk, member.pk])

    response = client.post(url)
    assert response["Location"].startswith(REAUTHENTICATE)
    assert Membership.objects.filter(pk=member.pk).exists()

    client.post(response["Location"], {"password": PASSWORD})
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_inviting_and_changing_a_role_ask_again(client):
    owner_membership = MembershipFactory(role=OrgRole.OWNER)
    org, owner = owner_membership.organization, verified(owner_membership.user)
    member = MembershipFactory(organization=org, role=OrgRole.JUDGE)
    fresh_login(client, owner)
    members = reverse("seekers:organization_members", args=[org.pk])
    assert client.get(members).status_code == 200
    invite = client.post(members, {"email": "new@example.org", "role": OrgRole.JUDGE})
    assert invite["Location"].startswith(REAUTHENTICATE)
    role = client.post(
        reverse("seekers:membership_role", args=[org.pk, member.pk]), {"role": OrgRole.MANAGER}
    )
    assert role["Location"].startswith(REAUTHENTICATE)
    assert Membership.objects.get(pk=member.pk).role == OrgRole.JUDGE


def test_staff_confirm_with_the_apps_code(client):
    """With two factors, re-authenticating asks for the second factor."""
    staff = verified(StaffFactory())
    fresh_login(client, staff)
    response = client.get(reverse("solvers:tax_form"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    client.post(response["Location"], {"code": totp_code()})
    client.post(reverse("solvers:tax_form"), {"kind": "w9", **w9(staff)})
    assert TaxForm.objects.filter(user=staff).count() == 1


# --- the API refuses without a recent re-authentication ----------------------------------


def api_calls(org, member):
    return [
        ("put", "/api/v1/me/tax-form/", {"kind": "W9Form"}),
        ("post", f"/api/v1/organizations/{org.pk}/invitations/", {"email": "x@example.org"}),
        ("patch", f"/api/v1/organizations/{org.pk}/members/{member.pk}/", {"role": "manager"}),
        ("delete", f"/api/v1/organizations/{org.pk}/members/{member.pk}/", None),
    ]


@pytest.fixture
def org_and_member():
    owner_membership = MembershipFactory(role=OrgRole.OWNER)
    member = MembershipFactory(organization=owner_membership.organization, role=OrgRole.JUDGE)
    return owner_membership.organization, owner_membership.user, member


def assert_refused(response):
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "reauthentication_required"


@pytest.mark.parametrize("seconds_ago", [None, 600])
def test_api_sessions_not_reauthenticated_recently_are_refused(org_and_member, seconds_ago):
    org, owner, member = org_and_member
    api = APIClient()
    api.force_login(owner)
    if seconds_ago is None:
        forget_reauthentication(api)
    else:
        mark_reauthenticated(api, owner, seconds_ago=seconds_ago)
    for method, url, data in api_calls(org, member):
        assert_refused(getattr(api, method)(url, data, format="json"))
    assert Membership.objects.get(pk=member.pk).role == OrgRole.JUDGE


def test_api_tokens_are_refused(org_and_member):
    org, owner, member = org_and_member
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=owner).key}")
    for method, url, data in api_calls(org, member):
        response = getattr(api, method)(url, data, format="json")
        assert_refused(response)
        assert "on the site" in response.json()["detail"]


def test_api_sessions_reauthenticated_just_now_may(org_and_member):
    org, owner, member = org_and_member
    api = APIClient()
    api.force_login(owner)  # and re-authenticated just now
    response = api.patch(
        f"/api/v1/organizations/{org.pk}/members/{member.pk}/", {"role": "manager"}, format="json"
    )
    assert response.status_code == 200
    assert Membership.objects.get(pk=member.pk).role == OrgRole.MANAGER


def test_the_confirm_step_in_spanish(client):
    staff = verified(StaffFactory())
    fresh_login(client, staff)
    response = client.post(reverse("solvers:tax_form"), {"kind": "w9"}, HTTP_ACCEPT_LANGUAGE="es")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Confirmar acceso" in page
    assert 'lang="es"' in page
