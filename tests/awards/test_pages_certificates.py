"""The public verification page a certificate's QR code points to, and its PDF."""

import hashlib
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from legal.documents import certificate_generate, certificate_revoke
from tests.factories import certificate_issued

pytestmark = pytest.mark.django_db

NOINDEX = '<meta name="robots" content="noindex">'


def issued(recipient, **overrides):
    return certificate_issued(recipient, **overrides)[0]


def generated(certificate):
    url = settings.SITE_URL + reverse("certificate_verify", args=[certificate.uuid])
    return certificate_generate(certificate_id=certificate.pk, verify_url=url)


def verify_page(client, certificate, status=200) -> str:
    response = client.get(reverse("certificate_verify", args=[certificate.uuid]))
    assert response.status_code == status
    return response.content.decode()


def pdf_url(certificate) -> str:
    return reverse("certificate_pdf", args=[certificate.uuid])


def test_a_genuine_certificate_shows_its_facts_and_hash(client, solver):
    certificate = generated(issued(solver))
    content = verify_page(client, certificate)
    assert "Genuine" in content and "Revoked" not in content
    for fact in (
        certificate.number,
        "Ada Lovelace",
        "Tide",
        "Quiet propeller",
        "Acme Research",
        "$12,345.50",
        "March 12, 2026",
        certificate.pdf_sha256,
        pdf_url(certificate),
        NOINDEX,
    ):
        assert fact in content, fact


def test_an_anonymous_seeker_is_not_named(client, solver):
    content = verify_page(client, generated(issued(solver, organization_name="", team_name="")))
    assert "Organisation" not in content
    assert "Team" not in content


def test_a_certificate_still_being_prepared_says_so(client, solver):
    certificate = issued(solver)
    content = verify_page(client, certificate)
    assert "Being prepared" in content and "Genuine" not in content
    assert "SHA-256" not in content
    assert pdf_url(certificate) not in content
    assert client.get(pdf_url(certificate)).status_code == 404


def test_a_revoked_certificate_says_so_with_the_reason(client, solver):
    certificate = generated(issued(solver))
    certificate_revoke(certificate_id=certificate.pk, reason="The award was withdrawn.")
    content = verify_page(client, certificate)
    assert "Revoked" in content and "Genuine" not in content
    assert "The award was withdrawn." in content
    assert pdf_url(certificate) not in content
    assert client.get(pdf_url(certificate)).status_code == 404


def test_an_unknown_id_is_a_404_page_that_says_so(client):
    url = reverse("certificate_verify", args=[uuid.uuid4()])
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "No certificate with this id exists." in content
    assert NOINDEX in content
    assert client.get(url + "certificate.pdf").status_code == 404


def test_the_download_is_the_stored_pdf(client, solver):
    certificate = generated(issued(solver))
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="certificate-{certificate.number}.pdf"'
    )
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == certificate.pdf_sha256


def test_a_spanish_reader_sees_the_page_in_spanish(client, solver):
    certificate = generated(issued(solver))
    client.cookies["django_language"] = "es"
    content = verify_page(client, certificate)
    assert '<html lang="es">' in content
    assert "12.345,50\xa0US$" in content
    assert "12 de marzo de 2026" in content
    assert "Desafío" in content and "Premio" in content
