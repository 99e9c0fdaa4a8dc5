"""Erasing a person: anonymised and locked out, while the money, legal and tax records
stay exactly as they were (and verifiable); refused while something is still owed."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from legal.models import Acceptance, Certificate, Deed
from marketplace.accounts.models import User
from marketplace.core.errors import IllegalTransition
from marketplace.notifications.models import (
    Notification,
    NotificationPreference,
    OrganizationFollow,
)
from marketplace.organisations.models import Invitation, Membership
from marketplace.organisations.roles import OrgRole
from marketplace.privacy.models import PrivacyRequest
from marketplace.privacy.services import personal_data_erase
from payouts.audit import run_audit
from payouts.models import Entry, Payout, PayoutAccount, TaxForm
from solvers.models import SolverProfile
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    StaffFactory,
    UserFactory,
    claim_awarded_challenge,
)
from tests.story import verified

from .people import paid_winners

pytestmark = pytest.mark.django_db


def erase(user, **changes):
    return personal_data_erase(
        user=user, **{"password": PASSWORD, "confirmation": user.email, **changes}
    )


def records_of(user) -> dict:
    return {
        "entries": list(Entry.objects.order_by("pk").values()),
        "payouts": list(Payout.objects.filter(payee=user).values()),
        "deeds": list(Deed.objects.filter(signer=user).values()),
        "acceptances": list(Acceptance.objects.filter(user=user).values()),
        "tax_forms": list(TaxForm.objects.filter(user=user).values()),
        "certificates": list(Certificate.objects.filter(recipient=user).values()),
    }


def test_erasure_anonymises_and_keeps_the_records_the_law_requires(
    client, django_capture_on_commit_callbacks
):
    people = paid_winners(django_capture_on_commit_callbacks)
    ada = people.solvers[0]
    email = ada.email
    kept = records_of(ada)
    assert all(kept.values())
    Token.objects.create(user=ada)
    client.force_login(ada)

    response = client.post(
        reverse("personal_data_erasure"), {"confirmation": email, "password": PASSWORD}
    )

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.full_name == f"Deleted user {ada.pk}"
    assert ada.email == f"deleted-{ada.pk}@invalid"
    assert not ada.is_active and not ada.has_usable_password()
    assert not EmailAddress.objects.filter(user=ada).exists()
    assert not EmailAddress.objects.filter(email__iexact=email).exists()
    assert not Token.objects.filter(user=ada).exists()
    assert not Notification.objects.filter(user=ada).exists()
    profile = SolverProfile.objects.get(user=ada)
    assert (profile.display_name, profile.organisation, profile.is_public) == (
        ada.full_name,
        "",
        False,
    )
    assert records_of(ada) == kept
    assert Deed.objects.get(signer=ada).signature == "Ada Winner"
    assert run_audit().clean
    event = PrivacyRequest.objects.get(user=ada, kind="erasure")
    assert event.state == "done" and event.completed_at

    certificate = Certificate.objects.get(recipient=ada)
    page = client.get(reverse("certificate_verify", args=[certificate.uuid])).content.decode()
    assert "Genuine" in page and "Ada Winner" in page

    assert not client.login(email=email, password=PASSWORD)
    assert client.get(reverse("personal_data")).status_code == 302
    login = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert login.status_code == 200


def test_an_existing_session_is_ended(client):
    person = verified(UserFactory())
    client.force_login(person)
    erase(person)
    response = client.get(reverse("personal_data"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_refused_while_a_prize_is_not_settled(org, owner):
    won = claim_awarded_challenge(org, owner)
    with pytest.raises(IllegalTransition, match="prize that is not settled"):
        erase(won.winner)
    won.winner.refresh_from_db()
    assert won.winner.is_active
    assert not PrivacyRequest.objects.filter(kind="erasure").exists()


def test_refused_for_the_only_owner_of_an_organisation(org, owner):
    with pytest.raises(IllegalTransition, match=org.name):
        erase(owner)
    MembershipFactory(organization=org, role=OrgRole.OWNER)
    erase(owner)
    assert not Membership.objects.filter(user=owner).exists()
    assert User.objects.get(pk=owner.pk).email.endswith("@invalid")


def test_the_password_and_the_address_must_be_given(solver):
    with pytest.raises(ValidationError) as refused:
        erase(solver, password="wrong", confirmation="someone@example.com")
    assert set(refused.value.message_dict) == {"password", "confirmation"}
    solver.refresh_from_db()
    assert solver.is_active and "@example.com" in solver.email


def test_the_page_shows_the_refusal_before_asking(client, org, owner):
    client.force_login(owner)
    page = client.get(reverse("personal_data_erasure")).content.decode()
    assert "only owner of" in page
    assert 'name="password"' not in page


def test_the_page_in_spanish_says_what_is_kept(client, solver):
    client.force_login(solver)
    page = client.get(reverse("personal_data_erasure"), HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert "Borrar mis datos" in text
    assert "Escrituras de PI firmadas" in text
    wrong = client.post(
        reverse("personal_data_erasure"),
        {"confirmation": solver.email, "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert wrong.status_code == 400
    assert "La contraseña no es correcta." in wrong.content.decode()


def test_api_erasure_revokes_the_token(solver):
    token = Token.objects.create(user=solver)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        "/api/v1/me/erase/", {"confirmation": solver.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["erased_at"]
    assert api.post("/api/v1/me/export/").status_code == 401


def test_api_erasure_refusal_is_a_conflict(org, owner):
    api = APIClient()
    api.force_login(owner)
    response = api.post(
        "/api/v1/me/erase/", {"confirmation": owner.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "erasure_refused"


def test_staff_see_the_requests_in_the_admin(client):
    person = UserFactory()
    erase(person)
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:marketplace_privacyrequest_changelist")).content.decode()
    assert "Erasure of personal data" in page


def test_what_only_served_the_person_is_removed(org, owner, solver):
    Invitation.objects.create(
        organization=org, email=solver.email.upper(), role=OrgRole.JUDGE, invited_by=owner
    )
    OrganizationFollow.objects.create(user=solver, organization=org)
    PayoutAccount.objects.create(user=solver, gateway="stripe", destination="acct_123")
    NotificationPreference.objects.create(user=solver, kind="award_won", delivery="digest")
    erase(solver)
    assert not Invitation.objects.exists()
    assert not OrganizationFollow.objects.filter(user=solver).exists()
    assert not NotificationPreference.objects.filter(user=solver).exists()
    assert not PayoutAccount.objects.filter(user=solver).exists()


def test_api_slows_password_guessing(solver, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "erasure": "10/min"},  # the production rate
    }
    api = APIClient()
    api.force_login(solver)
    body = {"confirmation": solver.email, "password": "guess"}
    statuses = [api.post("/api/v1/me/erase/", body, format="json").status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]


def test_password_guesses_on_the_page_are_limited(client, solver):
    """Ten wrong passwords a minute (the re-authentication limit), then 429 with
    Retry-After; nothing is erased, and the right password is not even tried."""
    client.force_login(solver)
    url = reverse("personal_data_erasure")
    for _ in range(10):
        wrong = client.post(url, {"password": "guess", "confirmation": solver.email})
        assert wrong.status_code == 400
    limited = client.post(url, {"password": PASSWORD, "confirmation": solver.email})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    solver.refresh_from_db()
    assert solver.is_active
