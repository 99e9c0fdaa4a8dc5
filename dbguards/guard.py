"""One guard below the ORM and the SQL that makes it a trigger on SQLite and on
PostgreSQL.

A guard either refuses a write (`refuse`: a condition over OLD and NEW; the write is
refused with `message` when it holds, always when it is empty) or does one more write
with it (`action`). A condition or action is one SQL text for both databases, or a
dict per vendor; a guard without text for a vendor is not installed there. Refusals are
integrity errors on both databases (SQLite: RAISE(ABORT), PostgreSQL: SQLSTATE 23000).

On SQLite a guard is one trigger whose WHEN clause is the condition. On PostgreSQL it
is a trigger and a function of the same name whose body tests the condition (trigger
WHEN clauses there cannot hold subqueries). TRUNCATE exists only on PostgreSQL.
"""

from dataclasses import dataclass

VENDORS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Guard:
    table: str
    name: str  # the trigger's name, unique across the database
    event: str  # INSERT, UPDATE, DELETE or TRUNCATE
    message: str = ""
    refuse: str | dict[str, str] = ""
    action: str | dict[str, str] = ""
    timing: str = "BEFORE"

    def __post_init__(self):
        if "'" in self.message or bool(self.message) == bool(self.action):
            raise ValueError(f"guard {self.name}: a quote-free message or an action, not both")

    def _text(self, text: str | dict[str, str], vendor: str) -> str | None:
        return text.get(vendor) if isinstance(text, dict) else text

    def installs_on(self, vendor: str) -> bool:
        if self.event == "TRUNCATE":
            return vendor == "postgresql"
        if isinstance(self.refuse, dict) and vendor not in self.refuse:
            return False
        return not (isinstance(self.action, dict) and vendor not in self.action)

    def create_sql(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            return [self._sqlite()]
        return self._postgresql()

    def drop_sql(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            return [f"DROP TRIGGER IF EXISTS {self.name}"]
        return [
            f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
            f"DROP FUNCTION IF EXISTS {self.name}()",
        ]

    def _sqlite(self) -> str:
        head = f"CREATE TRIGGER {self.name} {self.timing} {self.event} ON {self.table} FOR EACH ROW"
        if self.action:
            return f"{head} BEGIN {self._text(self.action, 'sqlite')}; END"
        condition = self._text(self.refuse, "sqlite")
        when = f" WHEN {condition}" if condition else ""
        return f"{head}{when} BEGIN SELECT RAISE(ABORT, '{self.message}'); END"

    def _postgresql(self) -> list[str]:
        per = "STATEMENT" if self.event == "TRUNCATE" else "ROW"
        if self.action:
            body = f"{self._text(self.action, 'postgresql')};"
        else:
            raise_ = (
                f"RAISE EXCEPTION '{self.message}'"
                " USING ERRCODE = 'integrity_constraint_violation';"
            )
            condition = self._text(self.refuse, "postgresql")
            body = f"IF {condition} THEN {raise_} END IF;" if condition else raise_
        if self.timing == "AFTER" or per == "STATEMENT":
            result = "NULL"
        else:
            result = "OLD" if self.event == "DELETE" else "NEW"
        return [
            f"CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql"
            f" AS $$ BEGIN {body} RETURN {result}; END $$",
            f"CREATE TRIGGER {self.name} {self.timing} {self.event} ON {self.table}"
            f" FOR EACH {per} EXECUTE FUNCTION {self.name}()",
        ]


def changed(*columns: str) -> str:
    """The condition "any of these columns changes" (SQLite 3.39+ and PostgreSQL)."""
    return "(" + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns) + ")"


def append_only(table: str) -> list[Guard]:
    """UPDATE, DELETE and TRUNCATE refused."""
    return [
        Guard(
            table, f"{table}_no_{event.lower()}", event, f"{table} is append-only: {event} refused"
        )
        for event in ("UPDATE", "DELETE", "TRUNCATE")
    ]


def kept(table: str) -> list[Guard]:
    """DELETE and TRUNCATE refused: the rows are kept for good."""
    return [
        Guard(
            table, f"{table}_no_{event.lower()}", event, f"{table} rows are kept: {event} refused"
        )
        for event in ("DELETE", "TRUNCATE")
    ]
