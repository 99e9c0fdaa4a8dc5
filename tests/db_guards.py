"""The guards below the ORM in tests: switching them off, to plant forged history that
only a client going around them (or an older database) could write and prove the audit
notices, and proving with raw SQL that they refuse."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.backends.base.operations import BaseDatabaseOperations

import dbguards


@contextmanager
def guards_off(using: str = DEFAULT_DB_ALIAS):
    """Drop every guard for the duration and install them again from the same
    declarations afterwards. Runs in a transaction (or a savepoint): if the body raises,
    rolling it back puts the guards back too (DDL is transactional on both databases).
    On PostgreSQL the guarded tables stay locked until the transaction ends."""
    connection = connections[using]
    with transaction.atomic(using=using):
        dbguards.remove(connection)
        yield
        dbguards.install(connection)


@contextmanager
def flush_past_the_guards():
    """Django empties the database after each transactional test (TRUNCATE on
    PostgreSQL, DELETE on SQLite), which the guards refuse: while this is open, that
    flush runs with the guards off."""
    flush = BaseDatabaseOperations.execute_sql_flush

    def flush_without_guards(ops, sql_list):
        with guards_off(ops.connection.alias):
            flush(ops, sql_list)

    with mock.patch.object(BaseDatabaseOperations, "execute_sql_flush", flush_without_guards):
        yield


def execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql: str, params=(), match: str | None = None) -> None:
    """The database refuses `sql` (an IntegrityError on both databases), in a savepoint
    so that the test's transaction goes on."""
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        execute(sql, params)


def truncate_refused(table: str) -> None:
    """TRUNCATE of `table` is refused (PostgreSQL: SQLite has no TRUNCATE). Call it in a
    test whose writes are committed: pending deferred checks forbid any TRUNCATE."""
    refused(f"TRUNCATE {table} CASCADE", match="refused")
