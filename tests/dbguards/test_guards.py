"""The guards' declarations against the migrated database: every guard is installed and
nothing else (no trigger left from older migrations), and switching them off in tests
puts every one of them back."""

import pytest
from django.db import connection
from django.utils import timezone

from dbguards.guard import Guard
from dbguards.tables import GUARDS
from tests.db_guards import execute, guards_off, refused

pytestmark = pytest.mark.django_db

INSTALLED = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
}


def installed() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(INSTALLED[connection.vendor])
        return {name for (name,) in cursor.fetchall()}


def declared() -> set[str]:
    return {
        guard.name
        for guards in GUARDS.values()
        for guard in guards
        if guard.installs_on(connection.vendor)
    }


def test_the_migrated_database_has_exactly_the_declared_guards():
    assert declared()
    assert installed() == declared()


@pytest.mark.corrupts_ledger
def test_guards_off_lets_forged_history_in_and_puts_every_guard_back(solver):
    forged = "INSERT INTO payouts_entry (idempotency_key, kind, memo, reference, created_at)"
    forged += " VALUES ('forged', 'fund', '', 'test:1', %s)"
    with guards_off():
        assert installed() == set()
        execute(forged, [timezone.now()])
        execute("UPDATE payouts_entry SET memo = 'edited' WHERE idempotency_key = 'forged'")
    assert installed() == declared()
    refused("UPDATE payouts_entry SET memo = 'again' WHERE idempotency_key = 'forged'")


def test_guards_off_puts_the_guards_back_when_its_body_fails():
    with pytest.raises(ZeroDivisionError), guards_off():
        assert installed() == set()
        1 / 0  # noqa: B018
    assert installed() == declared()


def test_a_guard_refuses_or_acts_never_both_and_its_message_has_no_quote():
    with pytest.raises(ValueError, match="not both"):
        Guard("t", "t_x", "UPDATE", "refused", action="UPDATE t SET x = 1")
    with pytest.raises(ValueError, match="quote-free"):
        Guard("t", "t_x", "UPDATE", "it's refused")
