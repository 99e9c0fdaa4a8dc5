"""The guards below the ORM on legal records, proven with raw SQL on whichever database
the suite runs (SQLite or PostgreSQL): templates, acceptances, deeds and void marks are
append-only; a certificate keeps what it recognises and only gets its PDF, its number
once and its revocation once."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from legal.documents import certificate_issue, certificate_revoke
from legal.models import Acceptance, AgreementTemplate, Certificate, Deed, DeedVoid
from legal.services import acceptance_record, agreement_render, sha256_text, template_current
from tests.conftest import skip_unless
from tests.db_guards import execute, refused, truncate_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(solver) -> dict:
    """One row of every append-only legal table, by table name, with the SQL id."""
    rendered = agreement_render(template_current(kind="terms"), {})
    acceptance = acceptance_record(
        user=solver, rendered=rendered, accepted_sha256=rendered.sha256, subject="site"
    )
    template = template_current(kind="transfer_deed")
    deed = Deed.objects.create(
        reference="award:7",
        signer=solver,
        template=template,
        text=template.body,
        text_sha256=sha256_text(template.body),
        signature=solver.full_name,
        signed_at=timezone.now(),
        pdf="deeds/award-7/signed.pdf",
        pdf_sha256="ab" * 32,
        language="en",
    )
    void = DeedVoid.objects.create(deed=deed, reason="award withdrawn", voided_at=timezone.now())
    return {
        "legal_agreementtemplate": ("id", template.pk),
        "legal_acceptance": ("id", acceptance.pk),
        "legal_deed": ("id", deed.pk),
        "legal_deedvoid": ("deed_id", void.pk),
    }


def legal_rows() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (AgreementTemplate, Acceptance, Deed, DeedVoid, Certificate)
    ]


@pytest.mark.parametrize(
    ("table", "change"),
    [
        ("legal_agreementtemplate", "body = 'forged'"),
        ("legal_agreementtemplate", "version = version + 1"),
        ("legal_acceptance", "text = 'forged'"),
        ("legal_acceptance", "subject = 'challenge:1'"),
        ("legal_deed", "signature = 'forged'"),
        ("legal_deed", "pdf_sha256 = 'cd'"),
        ("legal_deedvoid", "reason = 'forged'"),
    ],
)
def test_append_only_records_cannot_change(records, table, change):
    column, pk = records[table]
    before = legal_rows()
    refused(f"UPDATE {table} SET {change} WHERE {column} = %s", [pk], match="append-only")
    assert legal_rows() == before


@pytest.mark.parametrize(
    "table", ["legal_agreementtemplate", "legal_acceptance", "legal_deed", "legal_deedvoid"]
)
def test_append_only_records_cannot_be_deleted(records, table):
    column, pk = records[table]
    before = legal_rows()
    refused(f"DELETE FROM {table} WHERE {column} = %s", [pk], match="append-only")
    assert legal_rows() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "table",
    [
        "legal_agreementtemplate",
        "legal_acceptance",
        "legal_deed",
        "legal_deedvoid",
        "legal_certificate",
    ],
)
def test_truncate_is_refused(records, certificate, table):
    skip_unless(connection.vendor == "postgresql", "TRUNCATE is PostgreSQL's", service="postgres")
    before = legal_rows()
    truncate_refused(table)
    assert legal_rows() == before


@pytest.fixture
def certificate(solver) -> Certificate:
    certificate, _created = certificate_issue(
        reference="award:7",
        recipient=solver,
        recipient_name="Ada Lovelace",
        team_name="Tide",
        challenge_title="Quiet propeller",
        organization_name="Acme Research",
        amount=1_234_550,
        currency="USD",
        awarded_on=date(2026, 3, 12),
        language="en",
    )
    return certificate


@pytest.mark.parametrize(
    "change",
    [
        "recipient_name = 'Someone Else'",
        "recipient_id = recipient_id + 1",
        "team_name = ''",
        "challenge_title = 'Another challenge'",
        "organization_name = ''",
        "amount = amount + 1",
        "currency = 'EUR'",
        "awarded_on = '2025-01-01'",
        "reference = 'award:8'",
        "uuid = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'",
        "language = 'es'",
        "number = 'MC-2026-999999'",
        "number = ''",
    ],
)
def test_a_certificate_keeps_what_it_recognises_and_its_number(certificate, change):
    before = legal_rows()
    refused(f"UPDATE legal_certificate SET {change} WHERE id = %s", [certificate.pk])
    assert legal_rows() == before


def test_a_certificate_cannot_be_deleted(certificate):
    before = legal_rows()
    refused("DELETE FROM legal_certificate WHERE id = %s", [certificate.pk], match="kept")
    assert legal_rows() == before


def test_a_certificate_gets_its_pdf_and_is_revoked_once(certificate):
    assert certificate.number.startswith("MC-2026-")  # given after the row was inserted
    execute(
        "UPDATE legal_certificate SET pdf = 'certificates/x.pdf', pdf_sha256 = %s,"
        " generated_at = %s WHERE id = %s",
        ["ef" * 32, timezone.now(), certificate.pk],
    )
    revoked = certificate_revoke(certificate_id=certificate.pk, reason="Awarded in error")
    assert (revoked.pdf_sha256, revoked.revoked_reason) == ("ef" * 32, "Awarded in error")
    before = legal_rows()
    for change in ("revoked_at = NULL", "revoked_reason = 'Another reason'", "revoked_at = %s"):
        params = [timezone.now(), certificate.pk] if "%s" in change else [certificate.pk]
        refused(f"UPDATE legal_certificate SET {change} WHERE id = %s", params, match="once")
    assert legal_rows() == before
