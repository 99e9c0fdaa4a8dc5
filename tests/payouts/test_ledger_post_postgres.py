"""`ledger_post`, the database function that posts an entry in one statement on
PostgreSQL: the same answers as the ORM path (which SQLite runs), refusals that write
nothing and leave the caller's transaction usable, and one entry per key under races."""

import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from payouts.accounts import clearing_account, fees_account, payable_account, subject_account
from payouts.models import Account, AccountPurpose, Entry, Leg
from payouts.services.ledger import (
    InsufficientFunds,
    LedgerError,
    LegSpec,
    _post_in_database,
    _post_with_orm,
    entry_post,
    transfer,
)
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.factories import UserFactory

# Entries are posted by hand here, with no payment or award behind them, which the full
# audit rightly reports: the after-test audit is left out.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.corrupts_ledger]

SUBJECT = "test:1"
CLEARING = clearing_account("local", "USD")
FUNDING = subject_account(SUBJECT, AccountPurpose.FUNDING)
ESCROW = subject_account(SUBJECT, AccountPurpose.ESCROW)


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless(
        connection.vendor == "postgresql", "needs PostgreSQL (ledger_post)", service="postgres"
    )


def post(key, legs, kind="fund", currency="USD", actor=None):
    return entry_post(
        key=key, kind=kind, reference=SUBJECT, currency=currency, legs=legs, actor=actor
    )


def written() -> tuple[int, int, int]:
    return Entry.objects.count(), Leg.objects.count(), Account.objects.count()


def balances() -> dict[str, int]:
    return dict(Account.objects.values_list("code", "balance"))


def test_a_posting_is_one_statement_and_answers_the_entry_as_stored():
    actor = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        entry, created = post("fund:1", transfer(CLEARING, FUNDING, 500), actor=actor)
    assert created
    assert len(queries) == 1
    stored = Entry.objects.get(pk=entry.pk)
    fields = [f.attname for f in Entry._meta.concrete_fields]
    assert [getattr(entry, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert (entry.idempotency_key, entry.kind, entry.created_by_id) == ("fund:1", "fund", actor.pk)
    assert not entry._state.adding
    assert balances() == {CLEARING[0]: -500, FUNDING[0]: 500}


def test_the_same_key_twice_is_one_entry_and_the_first_comes_back():
    first, _created = post("fund:1", transfer(CLEARING, FUNDING, 500))
    before = written()
    again, created = post("fund:1", transfer(CLEARING, FUNDING, 900), kind="other")
    assert not created
    assert (again.pk, again.kind) == (first.pk, "fund")
    assert written() == before
    assert balances() == {CLEARING[0]: -500, FUNDING[0]: 500}


def test_insufficient_funds_writes_nothing_and_the_transaction_goes_on():
    post("fund:1", transfer(CLEARING, FUNDING, 100))
    before, held = written(), balances()
    with transaction.atomic():
        with pytest.raises(InsufficientFunds) as refused:
            post("hold:1", transfer(FUNDING, ESCROW, 101), kind="hold")
        assert str(refused.value) == f"{FUNDING[0]} holds 100; it cannot pay out 101."
        assert written() == before  # the escrow account it would have created is not there
        assert balances() == held
        _entry, created = post("hold:2", transfer(FUNDING, ESCROW, 100), kind="hold")
    assert created
    assert balances() == {CLEARING[0]: -100, FUNDING[0]: 0, ESCROW[0]: 100}


def test_insufficient_funds_is_checked_leg_by_leg_in_order():
    post("fund:1", transfer(CLEARING, FUNDING, 100))
    with pytest.raises(InsufficientFunds) as refused:
        post("odd", [LegSpec(FUNDING, -150), LegSpec(FUNDING, 100), LegSpec(CLEARING, 50)])
    assert str(refused.value) == f"{FUNDING[0]} holds 100; it cannot pay out 150."


@pytest.mark.parametrize(
    "legs",
    [
        transfer(clearing_account("local", "EUR"), FUNDING, 5),  # funding holds USD
        transfer((FUNDING[0], AccountPurpose.ESCROW), CLEARING, 5),  # funding is no escrow
    ],
    ids=["currency", "purpose"],
)
def test_an_account_of_another_currency_or_purpose_is_refused(legs):
    post("fund:1", transfer(CLEARING, FUNDING, 100))
    before = written()
    with transaction.atomic():
        with pytest.raises(LedgerError) as refused:
            post("bad", legs, currency="EUR" if "EUR" in legs[0].account[0] else "USD")
        assert type(refused.value) is LedgerError
        assert written() == before
        assert Account.objects.filter(code=FUNDING[0]).exists()
    assert "holds USD" in str(refused.value)


@pytest.mark.parametrize("subject", ['q"uote', "back\\slash", "com,ma {brace}", "NULL", " sp "])
def test_codes_reach_the_database_as_written(subject):
    funding = subject_account(subject, AccountPurpose.FUNDING)
    entry, _created = post(f"fund:{subject}", transfer(CLEARING, funding, 5))
    assert list(entry.legs.values_list("account__code", "account__purpose", "amount")) == [
        (CLEARING[0], AccountPurpose.CLEARING, -5),
        (funding[0], AccountPurpose.FUNDING, 5),
    ]


@pytest.mark.django_db(transaction=True)
def test_many_threads_posting_one_new_key_post_one_entry():
    def work(i):
        entry, created = post(
            "fund:race", transfer(clearing_account(f"g{i % 3}", "USD"), FUNDING, 10 + i)
        )
        return entry.pk, created

    results = in_threads(12, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({pk for pk, _created in results}) == 1
    assert sum(created for _pk, created in results) == 1
    assert Entry.objects.filter(idempotency_key="fund:race").count() == 1
    assert Leg.objects.count() == 2
    assert Account.objects.get(code=FUNDING[0]).balance == Leg.objects.get(amount__gt=0).amount


# --- the same answers as the ORM path ------------------------------------------------


ACCOUNTS = [
    clearing_account("local", "USD"),
    fees_account("USD"),
    *(subject_account(f"test:{n}", p) for n in (1, 2) for p in ("funding", "escrow")),
    payable_account(7, "USD"),
    payable_account(8, "USD"),
    (FUNDING[0], AccountPurpose.PAYABLE),  # an account used under another purpose
]


def random_postings(seed: int, count: int) -> list[dict]:
    """Postings of 2 to 4 legs summing to zero among ACCOUNTS, some keys repeated, some
    in EUR (refused on accounts already in USD)."""
    rng = random.Random(seed)
    postings = []
    for n in range(count):
        accounts = [rng.choice(ACCOUNTS) for _ in range(rng.randint(1, 3))]
        amounts = [rng.choice([-1, 1]) * rng.randint(1, 500) for _ in accounts]
        if sum(amounts) == 0:
            amounts[0] += 1
        legs = [LegSpec(a, x) for a, x in zip(accounts, amounts, strict=True)]
        legs.append(
            LegSpec(CLEARING if rng.random() < 0.7 else rng.choice(ACCOUNTS), -sum(amounts))
        )
        if rng.random() < 0.2:
            legs.reverse()
        key = f"k{rng.randint(0, n)}" if rng.random() < 0.15 else f"k{n}"
        postings.append(
            {
                "key": key,
                "kind": "test",
                "reference": SUBJECT,
                "legs": legs,
                "memo": f"m{n}",
                "currency": "EUR" if rng.random() < 0.05 else "USD",
            }
        )
    return postings


def run(post_one, postings, actor) -> tuple[list, dict, list]:
    """Post each (a refused one in its own savepoint, as a caller would); what each
    answered, the balances and every entry's legs, all by key and code."""
    answers = []
    for posting in postings:
        try:
            with transaction.atomic():
                entry, created = post_one(**posting, actor=actor)
            answers.append(("posted", entry.idempotency_key, entry.kind, entry.memo, created))
        except LedgerError as exc:
            answers.append((type(exc).__name__, str(exc)))
    legs = list(
        Leg.objects.order_by("entry__idempotency_key", "pk").values_list(
            "entry__idempotency_key", "account__code", "amount", "currency"
        )
    )
    accounts = {a.code: (a.purpose, a.currency, a.balance) for a in Account.objects.all()}
    return answers, accounts, legs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ledger_post_answers_what_the_orm_path_answers(seed):
    actor = UserFactory()
    postings = random_postings(seed, 150)
    results = []
    for post_one in (_post_with_orm, _post_in_database):
        with transaction.atomic():
            results.append(run(post_one, postings, actor))
            transaction.set_rollback(True)
    orm, database = results
    assert database == orm
    answers = [a[0] for a in orm[0]]
    # the sequence tries every outcome
    assert {"posted", "InsufficientFunds", "LedgerError"} <= set(answers)
    assert any(a[0] == "posted" and not a[4] for a in orm[0])
