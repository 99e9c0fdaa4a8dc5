"""The challenge agreement and the terms of use in the reader's language: a Spanish reader
is shown and accepts the Spanish text (its own SHA-256, recorded with language "es"), an
English reader the English one; without a text in their language, English, said so. The
acceptance's language shows in the staff audit, its receipt page and the API."""

import pytest
from django.conf import settings
from django.urls import reverse

from legal.models import Acceptance
from legal.services import template_current, template_publish
from marketplace.accounts.signup import site_terms
from marketplace.challenges.models import ChallengeState
from marketplace.participation.agreements import challenge_agreement
from tests.api_calls import client_for
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

FALLBACK_NOTE = "This text has no version in your language yet"


@pytest.fixture
def challenge(org):
    return ChallengeFactory(
        state=ChallengeState.OPEN, organization=org, ip_model="transfer", hide_seeker=True
    )


def reading(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def gate(client, challenge) -> str:
    response = client.get(reverse("challenge_detail", args=[challenge.pk]))
    assert response.status_code == 200
    return response.content.decode()


def register(client, challenge, sha256):
    url = reverse("challenge_register", args=[challenge.pk])
    return client.post(url, {"accept": "on", "accepted_sha256": sha256})


class TestGate:
    def test_a_spanish_reader_accepts_the_spanish_agreement(self, client, challenge, solver):
        client.force_login(solver)
        spanish = challenge_agreement(challenge, "es")
        content = gate(reading(client, "es"), challenge)
        assert "Acuerdo del desafío: cesión exclusiva de la propiedad intelectual" in content
        assert f'name="accepted_sha256" value="{spanish.sha256}"' in content
        assert "Español" in content and FALLBACK_NOTE not in content

        assert register(client, challenge, spanish.sha256).status_code == 302
        acceptance = Acceptance.objects.get()
        assert (acceptance.language, acceptance.template.language) == ("es", "es")
        assert (
            acceptance.text_sha256 == spanish.sha256 != challenge_agreement(challenge, "en").sha256
        )
        assert acceptance.text == spanish.text
        # The challenge's own terms are written in Spanish too.
        assert "**Seeker:** el Seeker (anónimo)" in acceptance.text
        assert "Cesión exclusiva de la propiedad intelectual" in acceptance.text
        assert "US$" in acceptance.text

    def test_an_english_reader_accepts_the_english_agreement(self, client, challenge, solver):
        client.force_login(solver)
        english = challenge_agreement(challenge, "en")
        content = gate(reading(client, "en"), challenge)
        assert f'name="accepted_sha256" value="{english.sha256}"' in content
        assert register(client, challenge, english.sha256).status_code == 302
        acceptance = Acceptance.objects.get()
        assert (acceptance.language, acceptance.text_sha256) == ("en", english.sha256)
        assert "**Seeker:** the Seeker (anonymous)" in acceptance.text

    def test_the_english_hash_is_stale_for_a_spanish_reader(self, client, challenge, solver):
        client.force_login(solver)
        register(reading(client, "es"), challenge, challenge_agreement(challenge, "en").sha256)
        assert not Acceptance.objects.exists()

    def test_without_a_spanish_text_the_spanish_reader_gets_english_and_is_told(
        self, client, challenge, solver
    ):
        template_current(kind="challenge", variant="transfer", language="es")
        template_publish(
            kind="challenge",
            variant="transfer",
            title="Challenge agreement, second edition",
            body="# Second edition\n\nFor **{{ challenge_title }}**.",
        )
        client.force_login(solver)
        rendered = challenge_agreement(challenge, "es")
        assert (rendered.template.version, rendered.template.language) == (2, "en")
        content = gate(reading(client, "es"), challenge)
        assert "Este texto aún no tiene versión en su idioma" in content
        assert f'name="accepted_sha256" value="{rendered.sha256}"' in content
        assert register(client, challenge, rendered.sha256).status_code == 302
        acceptance = Acceptance.objects.get()
        assert (acceptance.language, acceptance.template.version) == ("en", 2)


class TestTerms:
    def test_the_terms_page_follows_the_reader(self, client):
        spanish = site_terms("es")
        content = reading(client, "es").get(reverse("terms")).content.decode()
        assert spanish.template.language == "es" and spanish.sha256 in content
        assert "Términos de uso" in content
        english = site_terms("en")
        content = reading(client, "en").get(reverse("terms")).content.decode()
        assert english.sha256 in content and "English" in content


class TestLanguageIsShown:
    @pytest.fixture
    def spanish_acceptance(self, client, challenge, solver):
        client.force_login(solver)
        register(reading(client, "es"), challenge, challenge_agreement(challenge, "es").sha256)
        return Acceptance.objects.get()

    def test_on_the_receipt_page(self, client, challenge, spanish_acceptance):
        url = reverse("agreement_accepted", args=[challenge.pk])
        content = reading(client, "en").get(url).content.decode()
        assert "<dt>Language</dt><dd>Español</dd>" in content

    def test_in_the_staff_audit_and_its_csv(self, client, staff, spanish_acceptance):
        client.force_login(staff)
        reading(client, "en")
        audit = client.get(reverse("acceptance_audit")).content.decode()
        assert "<th>Language</th>" in audit and "<td>es</td>" in audit
        detail = client.get(reverse("acceptance_detail", args=[spanish_acceptance.pk]))
        assert "Español" in detail.content.decode()
        csv = b"".join(client.get(reverse("acceptance_audit_csv")).streaming_content).decode()
        assert csv.splitlines()[1].split(",")[6] == "es"

    def test_in_the_api(self, challenge, staff, spanish_acceptance):
        rows = client_for(staff).get("/api/v1/acceptances/").json()["results"]
        assert [row["language"] for row in rows] == ["es"]


def test_the_api_agreement_follows_accept_language_and_registering_records_it(challenge, solver):
    client = client_for(solver)
    url = f"/api/v1/challenges/{challenge.pk}/agreement/"
    shown = client.get(url, HTTP_ACCEPT_LANGUAGE="es").json()
    assert (shown["language"], shown["sha256"]) == (
        "es",
        challenge_agreement(challenge, "es").sha256,
    )
    assert shown["title"] == "Acuerdo del desafío: cesión exclusiva de la propiedad intelectual"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["language"] == "en" and english["sha256"] != shown["sha256"]

    response = client.post(
        f"/api/v1/challenges/{challenge.pk}/register/",
        {"accepted_sha256": shown["sha256"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200, response.content
    assert Acceptance.objects.get().language == "es"


def test_behind_a_proxy_the_acceptance_records_the_client_address(
    client, challenge, solver, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(solver)
    url = reverse("challenge_register", args=[challenge.pk])
    english = challenge_agreement(challenge, "en")
    client.post(
        url,
        {"accept": "on", "accepted_sha256": english.sha256},
        HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.9",
        REMOTE_ADDR="10.0.0.1",
    )
    assert Acceptance.objects.get().ip == "203.0.113.9"
