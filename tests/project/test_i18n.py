"""The product ships in English and Spanish: the Spanish catalogue is complete, and
pages and e-mails come out in Spanish for a Spanish reader."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_extend_deadline
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
DEADLINE = datetime(2031, 3, 14, 17, 0, tzinfo=UTC)
SPANISH_MONEY = "25.000,00\xa0US$"


def spanish_catalogue():
    with open(CATALOGUE_DIR / "django.po", "rb") as po:
        return read_po(po, locale="es")


def strings_of(message) -> tuple:
    text = message.string
    return tuple(text) if isinstance(text, (list, tuple)) else (text,)


def entries(catalogue) -> dict:
    """{(context, msgid): translations}, plural msgids as tuples. (Babel's .mo reader
    gives contexts as bytes.)"""
    return {
        (
            m.context.decode() if isinstance(m.context, bytes) else m.context,
            tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id,
        ): strings_of(m)
        for m in catalogue
        if m.id
    }


class TestCatalogue:
    def test_no_entry_is_untranslated_or_fuzzy(self):
        offending = [
            message.id
            for message in spanish_catalogue()
            if message.id and (message.fuzzy or not all(strings_of(message)))
        ]
        assert offending == [], f"untranslated or fuzzy entries: {offending}"

    def test_placeholders_match(self):
        errors = [
            (message.id, [str(e) for e in found]) for message, found in spanish_catalogue().check()
        ]
        assert errors == []

    def test_compiled_catalogue_is_current(self):
        """Pages read the .mo file: `make messages` must have compiled this .po."""
        with open(CATALOGUE_DIR / "django.mo", "rb") as mo:
            compiled = entries(read_mo(mo))
        assert compiled == entries(spanish_catalogue()), (
            "the .mo is older than the .po: run `make messages`"
        )


@pytest.fixture
def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
class TestPagesInSpanish:
    def test_catalogue(self, spanish):
        ChallengeFactory(state=S.OPEN, submission_deadline=DEADLINE)
        content = page(spanish, reverse("catalogue"))
        assert '<html lang="es">' in content
        for text in (
            "<h1>Desafíos</h1>",
            "Filtrar",
            "Ordenar por",
            "1 desafío<",
            ">Abierto<",
            "Teórico",
            "cierra en",
            "0 solvers inscritos",
            SPANISH_MONEY,
        ):
            assert text in content
        for english in ("Challenges", "Filter", "Sort by", "closes in", "solvers registered"):
            assert english not in content

    def test_challenge_page(self, spanish):
        challenge = ChallengeFactory(
            state=S.OPEN, submission_deadline=DEADLINE, eligibility="Everyone."
        )
        content = page(spanish, reverse("challenge_detail", args=[challenge.pk]))
        for text in (
            "Resumen",
            "Fecha límite de presentación",
            "14 de marzo de 2031 a las 17:00",
            "Cesión exclusiva de la propiedad intelectual",
            "Condiciones de participación",
            "Inicie sesión para inscribirse y leer la descripción completa",
            SPANISH_MONEY,
        ):
            assert text in content
        assert "Submission deadline" not in content and "March" not in content

    def test_sign_up_page(self, spanish):
        content = page(spanish, reverse("account_signup"))
        for text in ("Registrarse", "Contraseña", "Iniciar sesión", "depósito en garantía"):
            assert text in content
        assert "Sign up" not in content and "Password" not in content

    def test_seeker_dashboard(self, spanish, org, owner):
        ChallengeFactory(organization=org, submission_deadline=DEADLINE)
        spanish.force_login(owner)
        content = page(spanish, reverse("seekers:dashboard"))
        for text in (
            "Panel del Seeker",
            "Propietario",
            ">Borrador<",
            "Bolsa de premios",
            "Lo que puede hacer ahora",
            "Enviar a revisión",
            "Nuevo desafío",
            "14 de marzo de 2031 a las 17:00",
            SPANISH_MONEY,
        ):
            assert text in content
        assert "Submit for review" not in content and "$25,000.00" not in content

    def test_accept_language_header_alone_is_enough(self, client):
        assert "Browse challenges" in page(client, reverse("home"))
        content = client.get(reverse("home"), headers={"accept-language": "es"}).content.decode()
        assert "Explorar desafíos" in content and "Browse challenges" not in content


@pytest.mark.django_db
def test_deadline_e_mail_follows_each_recipients_language(
    org, owner, mailoutbox, django_capture_on_commit_callbacks
):
    challenge = ChallengeFactory(
        organization=org, state=S.OPEN, title="Película marina", submission_deadline=DEADLINE
    )
    reader_es = RegistrationFactory(challenge=challenge, user=UserFactory(language="es")).user
    reader_en = RegistrationFactory(challenge=challenge, user=UserFactory(language="en")).user
    with django_capture_on_commit_callbacks(execute=True):
        challenge_extend_deadline(
            challenge_id=challenge.pk,
            actor=owner,
            new_deadline=datetime(2031, 4, 15, 17, 0, tzinfo=UTC),
            reason="Más tiempo para los prototipos.",
        )
    mails = {mail.to[0]: mail for mail in mailoutbox}
    spanish_mail, english_mail = mails[reader_es.email], mails[reader_en.email]
    assert spanish_mail.subject == "Fecha límite ampliada: Película marina"
    assert spanish_mail.body.startswith(f"Hola, {reader_es.get_short_name()}:")
    assert (
        "La fecha límite de presentación de “Película marina” se ha ampliado hasta el "
        "15 de abril de 2031 a las 17:00 (UTC)."
    ) in spanish_mail.body
    assert "Motivo: Más tiempo para los prototipos." in spanish_mail.body
    assert english_mail.subject == "Deadline extended: Película marina"
    assert "April 15, 2031" in english_mail.body
