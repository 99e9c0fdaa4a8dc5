"""Recognition certificates: issued once, rendered as a one-page A4 landscape PDF in the
recipient's language, byte-identical on every render, stored with their SHA-256."""

import base64
import dataclasses
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zlib

import pytest
import qrcode
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from legal.certificate_layout import amount_text, certificate_html, certificate_texts
from legal.documents import (
    certificate_generate,
    certificate_pdf,
    certificate_revoke,
)
from legal.models import Certificate
from legal.qr import BORDER, qr_matrix, qr_png_uri
from tests.factories import certificate_issued

pytestmark = pytest.mark.django_db

URL = "https://marketplace.example/certificates/0b9f5c7e-2c41-4d8e-9a57-5b1d7d0c2f11/"


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for objects and metadata."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def issue(recipient, **overrides) -> tuple[Certificate, bool]:
    return certificate_issued(recipient, **overrides)


def test_issuing_twice_gives_one_certificate_with_a_stable_number(solver, judge):
    certificate, created = issue(solver)
    again, created_again = issue(solver, recipient_name="Someone Else")
    assert (created, created_again) == (True, False)
    assert again.pk == certificate.pk
    assert again.recipient_name == "Ada Lovelace"
    assert certificate.number == f"MC-2026-{certificate.pk:06d}"
    assert Certificate.objects.get(pk=certificate.pk).number == certificate.number
    other, _ = issue(judge)
    assert other.number != certificate.number
    assert (certificate.pdf_sha256, certificate.generated_at) == ("", None)


def test_issue_refuses_terms_a_certificate_cannot_show(solver):
    with pytest.raises(ValidationError) as refused:
        issue(solver, amount=0, currency="XYZ", language="fr")
    assert set(refused.value.message_dict) == {"amount", "currency", "language"}
    assert not Certificate.objects.exists()


def test_pdf_is_one_a4_landscape_page_titled_with_the_number(solver):
    certificate, _ = issue(
        solver,
        recipient_name="Maximiliana Genoveva de la Santísima Trinidad Fernández-Oyarzábal",
        team_name="T" * 200,
        challenge_title="A very long challenge title " * 7,
        organization_name="O" * 200,
    )
    pdf = certificate_pdf(certificate, verify_url=URL)
    content = inflated(pdf)
    assert pdf.startswith(b"%PDF-")
    width, height = (
        float(n) for n in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", content).groups()
    )
    assert (round(width), round(height)) == (842, 595)
    assert re.search(rb"/Type /Pages[^>]*/Count 1\b", content)
    assert f"/Title (Certificate of Recognition {certificate.number})".encode() in content


def rendered_elsewhere(code: str, stdin: str, identifier: str) -> bytes:
    """What `code` writes to stdout in a fresh process with randomised hashing and no
    SOURCE_DATE_EPOCH."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment["PYTHONHASHSEED"] = "random"
    return subprocess.run(
        [sys.executable, "-c", code, identifier],
        input=stdin.encode(),
        capture_output=True,
        check=True,
        cwd=settings.BASE_DIR,
        env=environment,
    ).stdout


def test_rendering_is_byte_identical_across_renders_and_processes(solver):
    certificate, _ = issue(solver)
    first = certificate_pdf(certificate, verify_url=URL)
    assert certificate_pdf(certificate, verify_url=URL) == first
    assert certificate_pdf(certificate, verify_url=URL + "x") != first
    texts = certificate_texts(certificate, verify_url=URL)
    elsewhere = rendered_elsewhere(
        "import django, json, sys; django.setup(); "
        "from legal.certificate_layout import CertificateTexts; "
        "from legal.certificate_pdf import certificate_pdf_write; "
        "texts = CertificateTexts(**json.loads(sys.stdin.read())); "
        "sys.stdout.buffer.write(certificate_pdf_write(texts, identifier=sys.argv[1]))",
        json.dumps(dataclasses.asdict(texts)),
        f"certificate {certificate.uuid}",
    )
    assert hashlib.sha256(elsewhere).hexdigest() == hashlib.sha256(first).hexdigest()


def test_the_html_page_prints_byte_identically_across_renders_and_processes(solver):
    certificate, _ = issue(solver, recipient_name="李小龙")
    first = certificate_pdf(certificate, verify_url=URL)
    assert certificate_pdf(certificate, verify_url=URL) == first
    elsewhere = rendered_elsewhere(
        "import sys; from legal.pdf import html_to_pdf; "
        "sys.stdout.buffer.write(html_to_pdf(sys.stdin.read(), identifier=sys.argv[1]))",
        certificate_html(certificate, verify_url=URL),
        f"certificate {certificate.uuid}",
    )
    assert hashlib.sha256(elsewhere).hexdigest() == hashlib.sha256(first).hexdigest()


# Format information of a QR code at level M with mask 0 (ISO/IEC 18004, table C.1),
# read along row 8 from the left: modules 0-5, 7, 8, then the last 7 of the row.
FORMAT_M_MASK_0 = "101010000010010"


def format_bits(matrix: list[list[bool]]) -> str:
    row = matrix[8 + BORDER][BORDER:-BORDER]
    bits = [*row[0:6], row[7], row[8], *row[-7:]]
    return "".join("1" if dark else "0" for dark in bits)


def test_the_qr_code_encodes_the_verification_url_at_a_fixed_version_and_mask(solver):
    certificate, _ = issue(solver)
    html = certificate_html(certificate, verify_url=URL)
    uri = qr_png_uri(URL)
    assert f'src="{uri}"' in html
    assert f"Verify at {URL}" in html
    image = Image.open(io.BytesIO(base64.b64decode(uri.removeprefix("data:image/png;base64,"))))
    image = image.convert("L")
    width, height = image.size
    drawn = [[image.getpixel((x, y)) < 128 for x in range(width)] for y in range(height)]
    code = qrcode.QRCode(
        version=6, mask_pattern=0, error_correction=qrcode.constants.ERROR_CORRECT_M, border=2
    )
    code.add_data(URL)
    code.make(fit=False)
    assert drawn == code.get_matrix() == qr_matrix(URL)
    assert width == 4 * 6 + 17 + 2 * BORDER
    assert format_bits(drawn) == FORMAT_M_MASK_0
    assert qr_png_uri(URL + "other") != uri


def test_a_url_too_long_for_the_fixed_version_takes_a_larger_one_with_the_same_mask():
    long_url = URL + "x" * 100
    matrix = qr_matrix(long_url)
    assert len(matrix) > 4 * 6 + 17 + 2 * BORDER
    assert format_bits(matrix) == FORMAT_M_MASK_0
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(long_url)
    code.make(fit=True)
    assert len(code.get_matrix()) == len(matrix)


def test_the_pdf_embeds_the_qr_code_as_a_sharp_bitmap(solver):
    certificate, _ = issue(solver)
    content = inflated(certificate_pdf(certificate, verify_url=URL))
    modules = Image.open(io.BytesIO(base64.b64decode(qr_png_uri(URL).split(",", 1)[1]))).width
    [image] = re.findall(rb"<<[^>]*/Subtype /Image[^>]*>>", content)
    assert re.search(rb"/Width %d\b" % modules, image)
    assert b"/Interpolate false" in image


def test_certificate_speaks_the_recipients_language(solver):
    certificate, _ = issue(solver, language="es", currency="EUR")
    html = certificate_html(certificate, verify_url=URL)
    assert '<html lang="es">' in html
    assert "12 de marzo de 2026" in html
    assert "12.345,50\xa0€" in html
    assert "Premio" in html
    english = certificate_html(issue(solver, reference="award:8")[0], verify_url=URL)
    assert "March 12, 2026" in english
    assert "$12,345.50" in english


def test_amounts_use_the_currencys_minor_units():
    assert amount_text(123_456, "JPY", "en") == "¥123,456"
    assert amount_text(123_456, "USD", "en") == "$1,234.56"
    assert amount_text(123_456, "JPY", "es") == "123.456\xa0JPY"


def test_anonymous_seeker_and_solo_solver_lines_are_left_out(solver):
    certificate, _ = issue(solver, organization_name="", team_name="")
    html = certificate_html(certificate, verify_url=URL)
    assert "set by" not in html
    assert "as a member of team" not in html
    named = certificate_html(issue(solver, reference="award:8")[0], verify_url=URL)
    assert "set by Acme Research" in named
    assert "as a member of team Tide" in named


def test_generate_stores_the_pdf_and_regenerating_changes_nothing(solver):
    certificate, _ = issue(solver)
    generated = certificate_generate(certificate_id=certificate.pk, verify_url=URL)
    name = f"certificates/{certificate.uuid}.pdf"
    assert generated.pdf.name == name
    with default_storage.open(name, "rb") as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == generated.pdf_sha256
    assert generated.generated_at is not None
    again = certificate_generate(certificate_id=certificate.pk, verify_url=URL)
    assert (again.pdf.name, again.pdf_sha256, again.generated_at) == (
        name,
        generated.pdf_sha256,
        generated.generated_at,
    )
    assert default_storage.listdir("certificates")[1] == [f"{certificate.uuid}.pdf"]


def test_generate_replaces_a_different_file_of_the_same_name(solver):
    certificate, _ = issue(solver)
    name = f"certificates/{certificate.uuid}.pdf"
    default_storage.save(name, ContentFile(b"an older rendering"))
    generated = certificate_generate(certificate_id=certificate.pk, verify_url=URL)
    assert generated.pdf.name == name
    with default_storage.open(name, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == generated.pdf_sha256
    assert default_storage.listdir("certificates")[1] == [f"{certificate.uuid}.pdf"]


def test_generate_runs_inside_the_callers_transaction(solver):
    certificate, _ = issue(solver)
    with transaction.atomic():
        generated = certificate_generate(certificate_id=certificate.pk, verify_url=URL)
    assert Certificate.objects.get(pk=certificate.pk).pdf_sha256 == generated.pdf_sha256


def test_revoking_needs_a_reason_and_keeps_the_first(solver):
    certificate, _ = issue(solver)
    with pytest.raises(ValidationError):
        certificate_revoke(certificate_id=certificate.pk, reason="  ")
    revoked = certificate_revoke(certificate_id=certificate.pk, reason="Award withdrawn")
    assert revoked.revoked_at is not None
    again = certificate_revoke(certificate_id=certificate.pk, reason="Another reason")
    assert (again.revoked_at, again.revoked_reason) == (revoked.revoked_at, "Award withdrawn")
