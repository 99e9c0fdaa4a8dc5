"""Legal 0007 (a language on agreement templates and acceptances) on a database that
already holds them: every row written before is English, the guarded tables keep their
guards (SQLite rebuilds them, so 0007 drops and installs them around the change), and
version 1 may now exist once per language. Runs on SQLite and PostgreSQL."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from legal.models import Acceptance, AgreementTemplate
from tests.db_guards import refused
from tests.dbguards.test_guards import declared, installed

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("legal", "0006_db_guards")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.fixture
def before():
    """The database before 0007; the latest migrations again afterwards."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = _migrate(BEFORE)
    try:
        yield executor.loader.project_state(BEFORE).apps
    finally:
        _migrate(leaves)


def test_rows_written_before_are_english_and_stay_guarded(before):
    apps = before
    user = apps.get_model("marketplace", "User").objects.create(email="ada@example.com")
    template = apps.get_model("legal", "AgreementTemplate").objects.create(
        kind="terms", variant="", version=1, title="Terms of use", body="# Terms\n", sha256="a" * 64
    )
    acceptance = apps.get_model("legal", "Acceptance").objects.create(
        user=user,
        template=template,
        template_sha256="a" * 64,
        text="# Terms\n",
        text_sha256="b" * 64,
        subject="site",
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert AgreementTemplate.objects.get(pk=template.pk).language == "en"
    assert Acceptance.objects.get(pk=acceptance.pk).language == "en"
    assert installed() == declared()
    for table, pk in (
        ("legal_agreementtemplate", template.pk),
        ("legal_acceptance", acceptance.pk),
    ):
        refused(f"UPDATE {table} SET language = 'es' WHERE id = %s", [pk], match="append-only")
        refused(f"DELETE FROM {table} WHERE id = %s", [pk], match="append-only")

    spanish = AgreementTemplate.objects.create(
        kind="terms", variant="", version=1, language="es", title="T", body="B", sha256="c" * 64
    )
    assert spanish.version == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementTemplate.objects.create(
            kind="terms", variant="", version=1, language="es", title="T", body="B", sha256="d" * 64
        )
