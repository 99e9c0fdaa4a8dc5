"""Guards below the ORM: triggers that make the database itself refuse what no service
ever does (editing or deleting the ledger and other records kept for good, unbalanced
entries, hand-edited balances), on SQLite and on PostgreSQL. `tables.py` declares them
all; each app's migration installs its own with `install(connection, app)`.

Installing is idempotent (each guard is dropped first), so a later migration that
changes a guard ends with `install` again. So does one that makes Django rebuild a
guarded table on SQLite (most field changes: the table is copied, and the copy has no
triggers); it starts with `remove` too, since the ledger's triggers name each other's
tables and SQLite refuses to rename a table while a trigger names a missing one. A test
(tests/dbguards) checks that the migrated database holds exactly the declared guards.
This package imports nothing from the apps, so any app's migrations may use it.
"""

from dbguards.tables import GUARDS


def _run(connection, app: str | None, sql) -> None:
    vendor = connection.vendor
    guards = GUARDS[app] if app else [g for guards in GUARDS.values() for g in guards]
    with connection.cursor() as cursor:
        for guard in guards:
            if guard.installs_on(vendor):
                for statement in sql(guard, vendor):
                    cursor.execute(statement)


def install(connection, app: str | None = None) -> None:
    """Install the guards of `app` (all apps when None), replacing any already there."""
    remove(connection, app)
    _run(connection, app, lambda guard, vendor: guard.create_sql(vendor))


def remove(connection, app: str | None = None) -> None:
    """Drop the guards of `app` (all apps when None)."""
    _run(connection, app, lambda guard, vendor: guard.drop_sql(vendor))
