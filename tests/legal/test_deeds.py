"""IP deeds: the text in force filled with the award's terms, signed by typing one's full
name, stored once as a PDF whose SHA-256 is recorded, append-only on PostgreSQL."""

import hashlib
import re
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.utils import DatabaseError

from legal import documents
from legal.documents import deed_render, deed_sign
from legal.models import Deed
from legal.pdf import html_to_pdf, markdown_html
from legal.selectors import deed_for
from legal.services import StaleAgreement, sha256_text
from tests.conftest import skip_unless
from tests.factories import UserFactory
from tests.legal.test_certificates import inflated

pytestmark = pytest.mark.django_db

TERMS = {
    "date": "2026-03-12",
    "solver_name": "Ada Lovelace",
    "seeker": "Acme Research",
    "submission_title": "Algae film",
    "challenge_title": "Quiet propeller",
    "submission_sha256": "ab" * 32,
    "amount": "$12,345.00",
}


@pytest.fixture
def ada(db):
    return UserFactory(full_name="Ada Lovelace")


def sign(user, **overrides) -> Deed:
    rendered = deed_render(kind="transfer_deed", terms=TERMS)
    values = {
        "user": user,
        "reference": "award:7",
        "kind": "transfer_deed",
        "terms": TERMS,
        "accepted_sha256": rendered.sha256,
        "signature": user.full_name,
        "full_name": user.full_name,
        "ip": "203.0.113.9",
        "user_agent": "Firefox",
    }
    return deed_sign(**{**values, **overrides})


def stored_deeds() -> list[str]:
    if not default_storage.exists("deeds/award-7"):
        return []
    return sorted(default_storage.listdir("deeds/award-7")[1])


@pytest.mark.parametrize("kind", ["transfer_deed", "licence_deed"])
def test_render_fills_every_placeholder(kind):
    rendered = deed_render(kind=kind, terms=TERMS)
    assert "{{" not in rendered.text and "}}" not in rendered.text
    for value in TERMS.values():
        assert value in rendered.text
    assert rendered.sha256 == sha256_text(rendered.text)
    assert "signature block" in rendered.text


def test_render_refuses_terms_that_leave_a_placeholder_empty():
    with pytest.raises(ValueError, match="amount, seeker"):
        deed_render(
            kind="licence_deed",
            terms={k: v for k, v in TERMS.items() if k not in ("amount", "seeker")},
        )
    with pytest.raises(ValueError):
        deed_render(kind="terms", terms=TERMS)


@pytest.mark.parametrize(
    "signature", ["Ada Byron", "", "   ", "Grace Hopper", "Ada Lovelace Byron"]
)
def test_the_signature_must_be_the_signers_full_name(ada, signature):
    UserFactory(full_name="Grace Hopper")
    with pytest.raises(ValidationError) as refused:
        sign(ada, signature=signature)
    assert list(refused.value.message_dict) == ["signature"]
    assert not Deed.objects.exists()
    assert stored_deeds() == []


def test_case_and_spacing_of_the_typed_name_do_not_matter(ada):
    deed = sign(ada, signature="  ada   LOVELACE ")
    assert deed.signature == "ada LOVELACE"


def test_without_a_full_name_on_the_profile_nobody_can_sign(db):
    nameless = UserFactory(full_name="")
    with pytest.raises(ValidationError) as refused:
        sign(nameless, signature="")
    assert "Add your full name to your profile first" in refused.value.message_dict["signature"][0]


@pytest.mark.parametrize("accepted", ["0" * 64, ""])
def test_a_stale_hash_is_refused(ada, accepted):
    with pytest.raises(StaleAgreement) as refused:
        sign(ada, accepted_sha256=accepted)
    assert list(refused.value.message_dict) == ["accepted_sha256"]
    assert not Deed.objects.exists()


def test_the_signed_pdf_is_stored_and_its_hash_recorded(ada):
    deed = sign(ada)
    rendered = deed_render(kind="transfer_deed", terms=TERMS)
    with default_storage.open(deed.pdf.name, "rb") as stored:
        pdf = stored.read()
    assert pdf.startswith(b"%PDF-")
    assert deed.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert deed.pdf.name == f"deeds/award-7/{ada.pk}-{deed.pdf_sha256}.pdf"
    assert (deed.text, deed.text_sha256) == (rendered.text, rendered.sha256)
    assert (deed.template.kind, deed.signature, deed.language) == (
        "transfer_deed",
        "Ada Lovelace",
        "en",
    )
    assert (deed.ip, deed.user_agent) == ("203.0.113.9", "Firefox")
    assert b"/Title (Deed of assignment of intellectual property)" in inflated(pdf)
    assert deed_for("award:7", ada.pk) == deed


def test_the_deed_page_carries_the_text_and_the_signature_block(ada, monkeypatch):
    pages = []
    monkeypatch.setattr(
        documents, "html_to_pdf", lambda html, identifier: pages.append(html) or b"%PDF-"
    )
    deed = sign(ada)
    (page,) = pages
    assert "<h1>Deed of assignment of intellectual property</h1>" in page
    assert '<p class="signature">Ada Lovelace</p>' in page
    assert deed.signed_at.strftime("%Y-%m-%d %H:%M:%S UTC") in page
    for fact in ("203.0.113.9", deed.text_sha256, "award:7"):
        assert fact in page


def test_signing_twice_returns_the_first_deed(ada):
    first = sign(ada)
    again = sign(ada, ip="198.51.100.1", signature="ADA LOVELACE")
    assert again.pk == first.pk
    assert Deed.objects.count() == 1
    assert stored_deeds() == [Path(first.pdf.name).name]


def test_a_concurrent_signature_keeps_the_winner_and_drops_the_losers_file(ada):
    winner = sign(ada)
    not_yet_visible = [None]  # the other request's row, unseen when this one began
    with mock.patch.object(
        documents,
        "deed_for",
        side_effect=lambda *a: not_yet_visible.pop() if not_yet_visible else deed_for(*a),
    ):
        loser = sign(ada, ip="198.51.100.1")
    assert loser.pk == winner.pk
    assert stored_deeds() == [Path(winner.pdf.name).name]


def test_signing_joins_the_callers_transaction(ada):
    with transaction.atomic(durable=True):
        deed = sign(ada)
    assert Deed.objects.get().pk == deed.pk


def test_markdown_in_a_document_is_sanitised_and_nothing_is_fetched(tmp_path):
    html = markdown_html("Hi ![x](http://example.com/x.png) <script>alert(1)</script> **b**")
    assert "<img" not in html and "<script" not in html
    assert "<strong>b</strong>" in html
    css = tmp_path / "a5.css"
    css.write_text("@page { size: A5 }")
    pdf = html_to_pdf(f'<link rel="stylesheet" href="file://{css}"><p>x</p>', identifier="t")
    size = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", inflated(pdf)).groups()
    assert [round(float(n)) for n in size] == [595, 842]  # A4, not the fetched A5


@pytest.mark.django_db(transaction=True)
def test_deeds_are_append_only_on_postgresql(ada):
    skip_unless(
        connection.vendor == "postgresql", "triggers exist on PostgreSQL only", service="postgres"
    )
    deed = sign(ada)
    for sql in (
        "UPDATE legal_deed SET signature = 'forged' WHERE id = %s",
        "DELETE FROM legal_deed WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [deed.pk])
    assert Deed.objects.get(pk=deed.pk).signature == "Ada Lovelace"
