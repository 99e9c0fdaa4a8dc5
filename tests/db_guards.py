"""Switching the guards below the ORM off, to plant forged history that only a client
going around them (or an older database) could write, and prove the audit notices."""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

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
