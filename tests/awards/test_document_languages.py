"""A winner's documents in the language they act in: the deed is signed (and its PDF
printed) in the language the winner reads when signing, and the certificate follows the
language of the winner's own action on the award, never the stored profile preference.
Wherever a PDF is offered for download, its language is named beside the link."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from legal.models import Certificate, Deed
from marketplace.awards.certificates import certificates_issue
from marketplace.awards.models import Award
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.release import awards_recheck_for
from payouts.services.tax import tax_form_submit
from tests.api_calls import client_for
from tests.factories import claim_awarded_challenge, claim_w9_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def won(org, owner):
    won = claim_awarded_challenge(org, owner)
    won.winner.full_name = "Ana García"
    won.winner.save(update_fields=["full_name"])
    return won


def fresh(award) -> Award:
    return Award.objects.get(pk=award.pk)


def reading(client, user, language: str):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def award_page(client, award) -> str:
    response = client.get(reverse("solvers:award_detail", args=[award.pk]))
    assert response.status_code == 200
    return response.content.decode()


def claim_on_the_pages(client, won, language: str) -> None:
    """The winner accepts and signs on the award page, reading in `language`, and files a
    W-9: the award is verified, released and paid (local gateway), so certified."""
    client = reading(client, won.winner, language)
    client.post(reverse("solvers:award_accept", args=[won.award.pk]))
    deed = award_deed(award=fresh(won.award), user=won.winner, language=language)
    response = client.post(
        reverse("solvers:award_sign", args=[won.award.pk]),
        {"accepted_sha256": deed.sha256, "signature": won.winner.full_name},
    )
    assert response.status_code == 302
    tax_form_submit(user=won.winner, kind="w9", data=claim_w9_data(won.winner.full_name))
    awards_recheck_for(user=won.winner)


class TestDeed:
    def test_a_spanish_reader_signs_the_spanish_deed(self, client, won):
        client = reading(client, won.winner, "es")
        client.post(reverse("solvers:award_accept", args=[won.award.pk]))
        spanish = award_deed(award=fresh(won.award), user=won.winner, language="es")
        content = award_page(client, won.award)
        assert f'name="accepted_sha256" value="{spanish.sha256}"' in content
        assert "Escritura de cesión de propiedad intelectual" in content
        client.post(
            reverse("solvers:award_sign", args=[won.award.pk]),
            {"accepted_sha256": spanish.sha256, "signature": "Ana García"},
        )
        deed = Deed.objects.get()
        assert (deed.language, deed.text_sha256) == ("es", spanish.sha256)
        assert "A cambio del premio de 25.000,00\xa0US$" in deed.text
        assert won.award.recipients.get().language == "es"

    def test_the_download_link_names_the_deeds_language(self, client, won, staff):
        client = reading(client, won.winner, "es")
        client.post(reverse("solvers:award_accept", args=[won.award.pk]))
        spanish = award_deed(award=fresh(won.award), user=won.winner, language="es")
        client.post(
            reverse("solvers:award_sign", args=[won.award.pk]),
            {"accepted_sha256": spanish.sha256, "signature": "Ana García"},
        )
        assert "Descargar la escritura firmada (PDF, Español)" in award_page(client, won.award)
        reading(client, won.winner, "en")
        assert "Download the signed deed (PDF, Español)" in award_page(client, won.award)
        deeds = reading(client, staff, "en").get(reverse("staff_deeds")).content.decode()
        assert "Download (PDF, Español)" in deeds

    def test_an_english_reader_signs_and_downloads_in_english(self, client, won):
        client = reading(client, won.winner, "en")
        client.post(reverse("solvers:award_accept", args=[won.award.pk]))
        english = award_deed(award=fresh(won.award), user=won.winner, language="en")
        client.post(
            reverse("solvers:award_sign", args=[won.award.pk]),
            {"accepted_sha256": english.sha256, "signature": "Ana García"},
        )
        assert Deed.objects.get().language == "en"
        assert "Download the signed deed (PDF, English)" in award_page(client, won.award)

    def test_the_api_says_which_language(self, won, owner):
        winner = client_for(won.winner)
        shown = winner.get(f"/api/v1/awards/{won.award.pk}/deed/", HTTP_ACCEPT_LANGUAGE="es")
        shown = shown.json()
        assert shown["language"] == "es"
        assert shown["title"] == "Escritura de cesión de propiedad intelectual"
        signed = winner.post(
            f"/api/v1/awards/{won.award.pk}/deed/sign/",
            {"accepted_sha256": shown["sha256"], "signature": "Ana García"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="es",
        ).json()
        assert (signed["signed"], signed["language"]) == (True, "es")
        [recipient] = client_for(owner).get(f"/api/v1/awards/{won.award.pk}/").json()["recipients"]
        assert recipient["deed_language"] == "es"


class TestCertificate:
    def test_follows_the_language_read_not_the_stored_preference(
        self, client, won, django_capture_on_commit_callbacks
    ):
        """The reported case: a preference stored as Spanish, the site read in English;
        the deed came out in English and the certificate, wrongly, in Spanish."""
        won.winner.language = "es"
        won.winner.save(update_fields=["language"])
        with django_capture_on_commit_callbacks(execute=True):
            claim_on_the_pages(client, won, "en")
        assert fresh(won.award).state == "paid"
        certificate = Certificate.objects.get()
        assert (Deed.objects.get().language, certificate.language) == ("en", "en")
        content = award_page(reading(client, won.winner, "en"), won.award)
        assert "Download the certificate (PDF, English)" in content

    def test_a_spanish_reader_with_an_english_preference_gets_it_in_spanish(
        self, client, won, django_capture_on_commit_callbacks
    ):
        assert won.winner.language == "en"
        with django_capture_on_commit_callbacks(execute=True):
            claim_on_the_pages(client, won, "es")
        certificate = Certificate.objects.get()
        assert (Deed.objects.get().language, certificate.language) == ("es", "es")
        assert "Descargar el certificado (PDF, Español)" in award_page(client, won.award)
        verify = reading(client, won.winner, "en").get(
            reverse("certificate_verify", args=[certificate.uuid])
        )
        assert "Download the PDF (Español)" in verify.content.decode()

    def test_without_an_action_recorded_the_active_language_decides(self, won):
        won.winner.language = "es"
        won.winner.save(update_fields=["language"])
        recipient = won.award.recipients.get()
        assert recipient.language == ""
        with translation.override("en"):
            [certificate] = certificates_issue(fresh(won.award))
        assert certificate.language == "en"
