"""Agreements in English and Spanish: each language of a version is its own template row
with its own text and SHA-256; a reader is shown (and accepts, and signs) the version in
force in the language they are reading, English when it has no text in theirs; the
append-only guards hold for every language's rows."""

import re
import zlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import translation

from legal import documents
from legal.documents import deed_render, deed_sign
from legal.models import AgreementTemplate
from legal.services import (
    acceptance_record,
    agreement_render,
    reading_language,
    sha256_text,
    template_current,
    template_publish,
)
from legal.shipped import SHIPPED, shipped_text
from tests.db_guards import refused
from tests.factories import UserFactory
from tests.legal.test_deeds import TERMS

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"{{\s*\w+\s*}}")


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (as far as each goes: a stream whose
    last byte is a carriage return loses it to the `endstream` match)."""
    streams = re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    return b"\n".join([pdf, *(zlib.decompressobj().decompress(s.group(1)) for s in streams)])


def pdf_text_string(text: str) -> bytes:
    """How a PDF writes a non-ASCII text string: UTF-16BE with its byte-order mark, in hex."""
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"


@pytest.mark.parametrize(("kind", "variant"), list(SHIPPED))
def test_every_shipped_text_has_a_spanish_translation_with_the_same_placeholders(kind, variant):
    english_title, english = shipped_text(kind, variant, "en")
    spanish_title, spanish = shipped_text(kind, variant, "es")
    assert sorted(PLACEHOLDER.findall(spanish)) == sorted(PLACEHOLDER.findall(english))
    assert spanish != english and spanish_title != english_title
    assert spanish.splitlines()[0] == f"# {spanish_title}"


def test_version_one_is_published_in_each_language_as_its_own_row():
    spanish = template_current(kind="challenge", variant="licence", language="es")
    english = template_current(kind="challenge", variant="licence", language="en")
    assert (english.version, english.language) == (1, "en")
    assert (spanish.version, spanish.language) == (1, "es")
    assert spanish.pk != english.pk
    assert spanish.title == "Acuerdo del desafío: licencia no exclusiva"
    assert english.title == "Challenge agreement: non-exclusive licence"
    assert spanish.sha256 == sha256_text(shipped_text("challenge", "licence", "es")[1])
    assert spanish.sha256 != english.sha256
    assert AgreementTemplate.objects.filter(kind="challenge", variant="licence").count() == 2


def test_the_active_language_chooses_the_text():
    with translation.override("es"):
        assert template_current(kind="terms").language == "es"
    with translation.override("en"):
        assert template_current(kind="terms").language == "en"


@pytest.mark.parametrize(
    ("asked", "got"), [("es", "es"), ("es-mx", "es"), ("ES", "es"), ("fr", "en"), ("", "en")]
)
def test_a_language_the_site_lacks_falls_back_to_english(asked, got):
    with translation.override("en"):
        assert reading_language(asked) == got
        assert template_current(kind="terms", language=asked).language == got


def test_a_newer_version_without_a_translation_is_shown_in_english_never_an_older_one():
    template_current(kind="terms", language="es")  # v1 in both languages
    v2 = template_publish(kind="terms", title="Terms of use", body="# Terms, second edition\n")
    assert (v2.version, v2.language) == (2, "en")
    assert template_current(kind="terms", language="es") == v2

    spanish_v2 = template_publish(
        kind="terms",
        title="Términos de uso",
        body="# Términos, segunda edición\n",
        language="es",
        version=2,
    )
    assert (spanish_v2.version, spanish_v2.language) == (2, "es")
    assert template_current(kind="terms", language="es") == spanish_v2
    assert template_current(kind="terms", language="en") == v2


def test_a_translation_needs_an_existing_version_and_a_language_it_lacks():
    english = template_current(kind="terms", language="en")
    with pytest.raises(ValidationError, match="no version 7"):
        template_publish(kind="terms", title="T", body="B", language="es", version=7)
    with pytest.raises(ValidationError, match="already has a text"):
        template_publish(kind="terms", title="T", body="B", language="es", version=1)
    with pytest.raises(ValidationError, match="Unknown language"):
        template_publish(kind="terms", title="T", body="B", language="fr", version=1)
    assert list(AgreementTemplate.objects.filter(kind="terms").values_list("pk", "body")) == [
        (english.pk, english.body),
        (template_current(kind="terms", language="es").pk, shipped_text("terms", "", "es")[1]),
    ]


def test_an_english_v1_published_before_the_translations_gets_the_shipped_spanish_beside_it():
    title, body = shipped_text("terms", "", "en")
    english = template_publish(kind="terms", title=title, body=body)  # as an older database has
    spanish = template_current(kind="terms", language="es")
    assert (spanish.version, spanish.language, spanish.pk != english.pk) == (1, "es", True)


def test_a_custom_english_v1_is_not_paired_with_the_shipped_translation():
    custom = template_publish(kind="terms", title="Our terms", body="# Our own terms\n")
    assert template_current(kind="terms", language="es") == custom
    assert not AgreementTemplate.objects.filter(language="es").exists()


def test_a_spanish_acceptance_records_the_spanish_text_and_its_language():
    user = UserFactory()
    rendered = agreement_render(template_current(kind="terms", language="es"), {})
    acceptance = acceptance_record(
        user=user, rendered=rendered, accepted_sha256=rendered.sha256, subject="site"
    )
    assert acceptance.language == "es"
    assert acceptance.template.language == "es"
    assert acceptance.text_sha256 == sha256_text(acceptance.text) == rendered.sha256
    assert acceptance.template_sha256 == sha256_text(shipped_text("terms", "", "es")[1])
    assert "Términos de uso" in acceptance.text


def test_the_guards_refuse_update_and_delete_of_the_spanish_rows():
    user = UserFactory()
    template = template_current(kind="terms", language="es")
    rendered = agreement_render(template, {})
    acceptance = acceptance_record(
        user=user, rendered=rendered, accepted_sha256=rendered.sha256, subject="site"
    )
    for table, pk in (
        ("legal_agreementtemplate", template.pk),
        ("legal_acceptance", acceptance.pk),
    ):
        refused(f"UPDATE {table} SET language = 'en' WHERE id = %s", [pk], match="append-only")
        refused(f"DELETE FROM {table} WHERE id = %s", [pk], match="append-only")
    template.refresh_from_db()
    acceptance.refresh_from_db()
    assert (template.language, acceptance.language) == ("es", "es")


# --- deeds -------------------------------------------------------------------------------


def sign(user, language: str):
    rendered = deed_render(kind="transfer_deed", terms=TERMS, language=language)
    return deed_sign(
        user=user,
        reference="award:7",
        kind="transfer_deed",
        terms=TERMS,
        accepted_sha256=rendered.sha256,
        signature=user.full_name,
        full_name=user.full_name,
        ip="203.0.113.9",
        language=language,
    )


def test_a_deed_signed_in_spanish_is_spanish_down_to_its_pdf():
    ada = UserFactory(full_name="Ada Lovelace")
    with mock.patch.object(documents, "html_to_pdf", wraps=documents.html_to_pdf) as to_pdf:
        deed = sign(ada, "es")
        pages = [call.args[0] for call in to_pdf.call_args_list]
    assert (deed.language, deed.template.language) == ("es", "es")
    assert "La presente escritura se otorga el 2026-03-12" in deed.text
    assert deed.text_sha256 == deed_render(kind="transfer_deed", terms=TERMS, language="es").sha256
    (page,) = pages
    assert '<html lang="es">' in page
    assert "<h1>Escritura de cesión de propiedad intelectual</h1>" in page
    assert "<h2>Firma</h2>" in page
    assert "Firmado electrónicamente: el firmante escribió su nombre completo." in page
    with default_storage.open(deed.pdf.name, "rb") as stored:
        pdf = pdf_objects(stored.read())
    assert b"/Title " + pdf_text_string("Escritura de cesión de propiedad intelectual") in pdf
    assert b"/Lang (es)" in pdf


def test_the_active_language_is_the_default_and_english_stays_english():
    ada = UserFactory(full_name="Ada Lovelace")
    with translation.override("en"):
        deed = deed_sign(
            user=ada,
            reference="award:7",
            kind="transfer_deed",
            terms=TERMS,
            accepted_sha256=deed_render(kind="transfer_deed", terms=TERMS).sha256,
            signature=ada.full_name,
            full_name=ada.full_name,
        )
    assert (deed.language, deed.template.language) == ("en", "en")
    assert deed.text.startswith("# Deed of assignment of intellectual property")


def test_a_deed_without_a_text_in_the_readers_language_is_signed_in_english():
    template_current(kind="transfer_deed", language="es")
    template_publish(
        kind="transfer_deed",
        title="Deed of assignment, second edition",
        body=shipped_text("transfer_deed", "", "en")[1] + "\n4. Second edition.\n",
    )
    deed = sign(UserFactory(full_name="Ada Lovelace"), "es")
    assert (deed.language, deed.template.version, deed.template.language) == ("en", 2, "en")
    assert "Second edition" in deed.text
