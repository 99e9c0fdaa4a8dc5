"""The certificate written directly as PDF (Latin scripts), and its fallback, the HTML
page printed by WeasyPrint, for a text the embedded fonts cannot set."""

import io
import re

import pypdf
import pytest

from legal.certificate_layout import amount_text, certificate_texts
from legal.certificate_pdf import (
    BODY_BOTTOM,
    CHALLENGE,
    CONTENT_LEFT,
    CONTENT_WIDTH,
    INNER,
    NAME,
    PAGE_HEIGHT,
    wrap,
)
from legal.documents import certificate_pdf
from legal.pdf_fonts import fonts_cover
from tests.factories import certificate_issued

pytestmark = pytest.mark.django_db

URL = "https://marketplace.example/certificates/0b9f5c7e-2c41-4d8e-9a57-5b1d7d0c2f11/"


def issue(recipient, **overrides):
    return certificate_issued(recipient, **overrides)[0]


def read(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_text(pdf: bytes) -> str:
    """The page's text, lines joined with spaces (a wrapped text reads as one)."""
    return re.sub(r"[ \n]+", " ", read(pdf).pages[0].extract_text())


def written_directly(pdf: bytes) -> bool:
    """WeasyPrint signs what it prints; the direct writer does not."""
    return "WeasyPrint" not in (read(pdf).metadata.producer or "")


def positions(pdf: bytes) -> list[tuple[float, float, str]]:
    """Where each piece of text starts, in points from the page's bottom left."""
    found = []

    def visit(text, matrix, text_matrix, font, size):
        if text.strip():
            found.append((text_matrix[4], text_matrix[5], text))

    read(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def test_english_certificate_is_written_directly_with_every_text_extractable(solver):
    certificate = issue(solver)
    pdf = certificate_pdf(certificate, verify_url=URL)
    assert written_directly(pdf)
    text = page_text(pdf)
    for expected in (
        "CHALLENGE MARKETPLACE",
        "Certificate of Recognition",
        "This certificate is presented to",
        "Ada Lovelace",
        "as a member of team Tide",
        "for a winning solution to the challenge",
        "“Quiet propeller”",
        "set by Acme Research",
        "Prize: $12,345.50",
        "March 12, 2026",
        "AWARDED ON",
        certificate.number,
        "CERTIFICATE NUMBER",
        "Verify at",
    ):
        assert expected in text
    assert URL in text.replace(" ", "")
    assert read(pdf).metadata.title == f"Certificate of Recognition {certificate.number}"


def test_spanish_certificate_speaks_spanish(solver):
    certificate = issue(solver, language="es", currency="EUR", recipient_name="Íñigo Peña")
    pdf = certificate_pdf(certificate, verify_url=URL)
    assert written_directly(pdf)
    text = page_text(pdf)
    for expected in (
        "Íñigo Peña",
        "12 de marzo de 2026",
        "Premio: 12.345,50\xa0€",
        "Verifíquelo en",
    ):
        assert expected in text
    assert "Certificate of Recognition" not in text
    assert read(pdf).trailer["/Root"]["/Lang"] == "es"


@pytest.mark.parametrize(
    ("amount", "currency", "language"),
    [(123_456, "JPY", "en"), (123_456, "USD", "en"), (123_456, "EUR", "es"), (99, "EUR", "en")],
)
def test_amounts_in_their_currencys_minor_units(solver, amount, currency, language):
    certificate = issue(solver, amount=amount, currency=currency, language=language)
    pdf = certificate_pdf(certificate, verify_url=URL)
    assert written_directly(pdf)
    assert amount_text(amount, currency, language) in page_text(pdf)


def test_team_and_organisation_lines_are_left_out_when_empty(solver):
    text = page_text(
        certificate_pdf(issue(solver, team_name="", organization_name=""), verify_url=URL)
    )
    assert "Ada Lovelace" in text
    assert "as a member of team" not in text
    assert "set by" not in text


def test_same_certificate_and_url_give_the_same_bytes(solver):
    certificate = issue(solver)
    first = certificate_pdf(certificate, verify_url=URL)
    assert certificate_pdf(certificate, verify_url=URL) == first
    assert certificate_pdf(certificate, verify_url=URL + "x") != first
    other = issue(solver, reference="award:8")
    assert certificate_pdf(other, verify_url=URL) != first


@pytest.mark.parametrize("name", ["李小龙", "محمد عبد الله", "Пётр Ильич Чайковский"])
def test_a_name_outside_the_latin_fonts_is_printed_from_the_html_page(solver, name):
    certificate = issue(solver, recipient_name=name)
    assert not fonts_cover(certificate_texts(certificate, verify_url=URL).joined())
    pdf = certificate_pdf(certificate, verify_url=URL)
    assert not written_directly(pdf)
    assert "Quiet propeller" in page_text(pdf)
    assert certificate.number in page_text(pdf)


def test_a_latin_name_with_accents_and_typographic_marks_is_written_directly(solver):
    name = "Zoë Łukasiewicz-Ørsted \u2013 “Škoda” O\u2019Brien"
    certificate = issue(solver, recipient_name=name)
    pdf = certificate_pdf(certificate, verify_url=URL)
    assert written_directly(pdf)
    assert name in page_text(pdf)


def test_long_names_and_titles_wrap_inside_the_page(solver):
    name = "Maximiliana Genoveva de la Santísima Trinidad Fernández-Oyarzábal " + "W" * 60
    title = "A very long challenge title " * 7
    lines = wrap(name, NAME)
    assert len(lines) >= 3
    assert all(NAME.width(line) <= CONTENT_WIDTH for line in lines)
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")
    assert all(CHALLENGE.width(line) <= CONTENT_WIDTH for line in wrap(f"“{title}”", CHALLENGE))
    certificate = issue(solver, recipient_name=name, challenge_title=title)
    pdf = certificate_pdf(certificate, verify_url=URL)
    assert written_directly(pdf)
    assert "W" * 20 in page_text(pdf)
    body = [(x, text) for x, y, text in positions(pdf) if y > PAGE_HEIGHT / 3]
    assert all(x >= CONTENT_LEFT - 0.01 for x, _ in body)


def test_the_longest_texts_are_set_smaller_and_stay_above_the_footer(solver):
    longest = {
        "recipient_name": "Wolfeschlegelsteinhausenbergerdorff " * 5 + "W" * 20,
        "challenge_title": "Quiet propeller for a very long river barge " * 4 + "X" * 24,
        "team_name": "T" * 200,
        "organization_name": "O" * 200,
    }
    assert all(len(value) == 200 for value in longest.values())
    pdf = certificate_pdf(issue(solver, **longest), verify_url=URL)
    assert written_directly(pdf)
    left, top, width, height = INNER
    found = positions(pdf)
    for x, y, text in found:
        assert left < x < left + width, text
        assert PAGE_HEIGHT - top - height < y < PAGE_HEIGHT - top, text
    [(_, prize_y, _)] = [piece for piece in found if piece[2].startswith("Prize")]
    assert prize_y > PAGE_HEIGHT - BODY_BOTTOM
    assert "$12,345.50" in page_text(pdf)
