import pytest
from django.core import mail

from marketplace.accounts.models import User
from marketplace.accounts.signup import site_terms

pytestmark = pytest.mark.django_db


def test_language_switch_remembers_a_signed_in_users_choice(client, solver):
    client.force_login(solver)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/challenges/"})
    assert response.status_code == 302
    assert User.objects.get(pk=solver.pk).language == "es"
    assert "Desafíos" in client.get("/challenges/").content.decode()


def test_unknown_language_changes_nothing(client, solver):
    client.force_login(solver)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert User.objects.get(pk=solver.pk).language == "en"


def test_anonymous_switch_still_works(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"


def test_sign_up_in_spanish_stores_spanish(client):
    client.cookies["django_language"] = "es"
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Ana García",
            "email": "ana@example.com",
            "password1": "a-Long-passphrase-77",
            "password2": "a-Long-passphrase-77",
            "terms": "on",
            "terms_sha256": site_terms("es").sha256,  # the Spanish text she was shown
        },
    )
    assert response.status_code == 302
    ana = User.objects.get(email="ana@example.com")
    assert ana.language == "es"
    acceptance = ana.acceptances.get()
    assert (acceptance.language, acceptance.template.language) == ("es", "es")
    assert acceptance.text_sha256 == site_terms("es").sha256
    assert "confirme su dirección de correo" in mail.outbox[0].subject  # allauth, in Spanish
