"""Two-factor authentication (allauth.mfa): setting up an authenticator app, logging in
with its code or a recovery code, the API token asking for a code, and the Spanish
pages of the flow."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP
from django.urls import reverse

from tests.factories import PASSWORD, STAFF_TOTP_SECRET, StaffFactory, UserFactory, totp_code
from tests.story import verified

pytestmark = pytest.mark.django_db

OTHER_SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"


def password_step(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def logged_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


# --- setting up an authenticator app -------------------------------------------------------


def start_activation(client, user) -> str:
    client.force_login(user)  # and re-authenticated just now (tests/reauth.py)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    return client.session[SECRET_SESSION_KEY]


def test_an_authenticator_app_is_activated_with_a_valid_code(client):
    user = verified(UserFactory())
    secret = start_activation(client, user)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    # recovery codes come with it
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()


def test_a_wrong_code_does_not_activate_it(client):
    user = verified(UserFactory())
    secret = start_activation(client, user)
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not Authenticator.objects.filter(user=user).exists()


def test_the_two_factor_page_offers_an_app_recovery_codes_and_security_keys(client):
    client.force_login(verified(UserFactory()))
    page = client.get(reverse("mfa_index")).content.decode()
    for name in ("mfa_activate_totp", "mfa_add_webauthn"):
        assert reverse(name) in page
    staff = StaffFactory()
    client.force_login(staff)
    page = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_deactivate_totp") in page
    assert (
        reverse("mfa_view_recovery_codes") in page or reverse("mfa_generate_recovery_codes") in page
    )


def test_the_security_key_form_of_the_code_step_is_hidden_and_named(client):
    """The "use a security key" button posts a form it names by id."""
    password_step(client, verified(StaffFactory()))
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert '<form hidden id="webauthn_form"' in page


def test_the_account_menu_links_to_two_factor_authentication(client):
    client.force_login(verified(UserFactory()))
    response = client.get(reverse("home"))
    assert reverse("mfa_index") in response.content.decode()


# --- logging in with two factors -----------------------------------------------------------


def test_log_in_asks_for_the_apps_code_after_the_password(client):
    staff = verified(StaffFactory())
    response = password_step(client, staff)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert logged_in_as(client) is None

    refused = client.post(reverse("mfa_authenticate"), {"code": totp_code(OTHER_SECRET)})
    assert refused.status_code == 200 and logged_in_as(client) is None

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert logged_in_as(client) == staff.pk
    assert client.get(reverse("staff_review_queue")).status_code == 200


def test_a_recovery_code_logs_in_once(client):
    staff = verified(StaffFactory())
    code = RecoveryCodes.activate(staff).generate_codes()[0]

    password_step(client, staff)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert logged_in_as(client) == staff.pk

    client.post(reverse("account_logout"))
    assert logged_in_as(client) is None
    password_step(client, staff)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200
    assert "code" in again.context["form"].errors
    assert logged_in_as(client) is None


def test_the_admin_log_in_goes_through_the_sites_log_in(client):
    """The admin's own password-only form would skip the second factor."""
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- API tokens ---------------------------------------------------------------------------


def test_a_token_for_an_account_with_two_factors_needs_a_code(client):
    staff = verified(StaffFactory())
    url = reverse("api-token")
    credentials = {"email": staff.email, "password": PASSWORD}
    refused = client.post(url, credentials, content_type="application/json")
    assert refused.status_code == 400
    assert "code" in refused.json()["fields"]
    wrong = client.post(
        url, {**credentials, "code": totp_code(OTHER_SECRET)}, content_type="application/json"
    )
    assert wrong.status_code == 400
    response = client.post(
        url, {**credentials, "code": totp_code()}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["token"]


def test_a_recovery_code_gets_a_token_once(client):
    staff = verified(StaffFactory())
    code = RecoveryCodes.activate(staff).generate_codes()[0]
    credentials = {"email": staff.email, "password": PASSWORD, "code": code}
    first = client.post(reverse("api-token"), credentials, content_type="application/json")
    assert first.status_code == 200
    again = client.post(reverse("api-token"), credentials, content_type="application/json")
    assert again.status_code == 400


def test_a_token_without_two_factors_needs_no_code(client):
    user = verified(UserFactory())
    response = client.post(
        reverse("api-token"),
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200


# --- Spanish ------------------------------------------------------------------------------


def test_the_two_factor_pages_in_spanish(client):
    user = verified(UserFactory())
    client.force_login(user)
    page = client.get(reverse("mfa_index"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Autenticación de doble factor" in page
    # the site's own menu entry, from the site's catalogue
    assert f'<a href="{reverse("mfa_index")}">Autenticación de doble factor</a>' in page
    activate = client.get(reverse("mfa_activate_totp"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Activar" in activate.content.decode()


def test_the_code_step_of_the_log_in_in_spanish(client):
    staff = verified(StaffFactory())
    client.post(
        reverse("account_login"),
        {"login": staff.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    page = client.get(reverse("mfa_authenticate"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Autenticación de doble factor" in page
    assert 'lang="es"' in page


def test_staff_factory_sets_up_the_documented_test_secret():
    staff = StaffFactory()
    (totp,) = Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP)
    assert TOTP(totp).validate_code(totp_code(STAFF_TOTP_SECRET))
