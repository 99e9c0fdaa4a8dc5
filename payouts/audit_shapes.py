"""The shape of every kind of ledger entry, as the services post it (MONEY.md): the
subject it is posted for and its legs, account by account, as the business row behind
it calls for. The audit compares each entry with its shape, so a leg added to or
changed in an old entry shows up even when the cached balances were edited to match.

    fund     gateway clearing -> the payment's subject's funding: the payment's amount
    open     funding -> escrow (the pool) + platform fees (the fee; no fee leg when it
             is zero); one per subject. Whether the fee is the schedule's fee for the
             pool is the core's check (it knows the schedule each challenge opened under)
    release  escrow -> one payable leg per payout of the award
    payout   the payee's payable -> the gateway's clearing
    reverse  the gateway's clearing -> the payee's payable
    forfeit  one payable leg per cancelled payout of the award -> escrow
    refund   funding and/or escrow (as the refund says) -> the payment's gateway clearing

Payable legs are taken at the amounts the entry posted: whether those match the
payouts is the payout checks' question (`payouts.audit`), asked once."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from payouts.accounts import clearing_account, fees_account, payable_account, subject_account
from payouts.models import (
    AccountPurpose,
    Entry,
    Leg,
    Payment,
    PaymentState,
    Payout,
    PayoutState,
    Refund,
    RefundState,
)

Legs = list[tuple[str, int, str]]  # (account code, amount, currency), one per leg


@dataclass(frozen=True)
class Shape:
    subject: str  # the reference the entry must carry
    legs: Legs
    basis: str  # what calls for it, e.g. "payment 3"


@dataclass
class Rows:
    """The business rows entries are posted for, loaded once."""

    payments: dict[int, tuple[str, str, int, str]]  # pk -> subject, gateway, amount, currency
    refunds: dict[int, tuple[str, str, str, int, int, int]]  # pk -> subject, gateway,
    # currency, amount, from funding, from escrow
    payouts: list[Payout]

    def __post_init__(self):
        self.by_key = {p.key: p for p in self.payouts}
        self.by_reference: dict[str, list[Payout]] = defaultdict(list)
        for payout in self.payouts:
            self.by_reference[payout.reference].append(payout)


def _number(key: str, prefix: str) -> int | None:
    rest = key.removeprefix(prefix)
    return int(rest) if rest != key and rest.isdigit() else None


def _fund(key: str, legs: Legs, reference: str, rows: Rows) -> Shape | None:
    pk = _number(key, "fund:")
    if pk not in rows.payments:
        return None  # reported by the audit as funding without a payment
    subject, gateway, amount, currency = rows.payments[pk]
    funding = subject_account(subject, AccountPurpose.FUNDING)[0]
    return Shape(
        subject,
        [
            (clearing_account(gateway, currency)[0], -amount, currency),
            (funding, amount, currency),
        ],
        f"payment {pk}",
    )


def _refund(key: str, legs: Legs, reference: str, rows: Rows) -> Shape | None:
    pk = _number(key, "refund:")
    if pk not in rows.refunds:
        return None  # reported by the audit as a refund entry without a refund
    subject, gateway, currency, amount, from_funding, from_escrow = rows.refunds[pk]
    expected = [(clearing_account(gateway, currency)[0], amount, currency)]
    for purpose, part in (
        (AccountPurpose.FUNDING, from_funding),
        (AccountPurpose.ESCROW, from_escrow),
    ):
        if part:
            expected.append((subject_account(subject, purpose)[0], -part, currency))
    return Shape(subject, expected, f"refund {pk}")


def _open(key: str, legs: Legs, reference: str, rows: Rows) -> Shape | None:
    if not legs:
        return None  # reported by the audit as an entry without legs
    escrow = subject_account(reference, AccountPurpose.ESCROW)[0]
    held = [(amount, currency) for code, amount, currency in legs if code == escrow]
    pool = sum(amount for amount, _currency in held)
    currency = held[0][1] if held else legs[0][2]
    # The fee is checked against the schedule the challenge opened under by the core
    # (it records it); here, that what left funding is the pool plus the fee earned.
    fees = fees_account(currency)[0]
    fee = sum(amount for code, amount, _currency in legs if code == fees)
    expected = [
        (subject_account(reference, AccountPurpose.FUNDING)[0], -(pool + fee), currency),
        (escrow, pool, currency),
    ]
    if fee:
        expected.append((fees, fee, currency))
    return Shape(reference, expected, f"a pool of {pool} and a fee of {fee}")


def _posted_payable(legs: Legs) -> dict[str, int]:
    posted: dict[str, int] = defaultdict(int)
    for code, amount, _currency in legs:
        posted[code] += amount
    return posted


def _award_shape(legs: Legs, payouts: list[Payout], sign: int, basis: str) -> Shape:
    """Release (sign +1) or forfeit (sign -1) of an award's payouts: one payable leg
    per payout, balanced by one leg on the subject's escrow."""
    subject, currency = payouts[0].subject, payouts[0].currency
    posted = _posted_payable(legs)
    expected = []
    for payout in payouts:
        code = payable_account(payout.payee_id, payout.currency)[0]
        expected.append((code, posted.get(code, sign * payout.amount), payout.currency))
    escrow = subject_account(subject, AccountPurpose.ESCROW)[0]
    expected.append((escrow, -sum(amount for _code, amount, _cur in expected), currency))
    return Shape(subject, expected, basis)


def _release(key: str, legs: Legs, reference: str, rows: Rows) -> Shape | None:
    award = key.removeprefix("release:")
    payouts = rows.by_reference.get(award)
    if not payouts:
        return None  # reported by the payout checks
    return _award_shape(legs, payouts, +1, f"the payouts of {award}")


def _forfeit(key: str, legs: Legs, reference: str, rows: Rows) -> Shape | None:
    award = key.removeprefix("forfeit:")
    cancelled = [p for p in rows.by_reference.get(award, []) if p.state == PayoutState.CANCELLED]
    if not cancelled:
        return None  # reported by the payout checks
    return _award_shape(legs, cancelled, -1, f"the cancelled payouts of {award}")


def _transfer_shape(key: str, legs: Legs, rows: Rows, prefix: str, states, sign: int):
    """A payout (sign -1: payable -> clearing) or its reversal (sign +1)."""
    payout = rows.by_key.get(key.removeprefix(prefix))
    if payout is None or not key.startswith(prefix) or payout.state not in states:
        return None  # reported by the payout checks
    code = payable_account(payout.payee_id, payout.currency)[0]
    amount = _posted_payable(legs).get(code, sign * payout.amount)
    clearing = clearing_account(payout.gateway, payout.currency)[0]
    return Shape(
        payout.subject,
        [(code, amount, payout.currency), (clearing, -amount, payout.currency)],
        f"payout {payout.key}",
    )


def _payout(key: str, legs: Legs, reference: str, rows: Rows) -> Shape | None:
    paid = (PayoutState.SUCCEEDED, PayoutState.REVERSED)
    return _transfer_shape(key, legs, rows, "payout:", paid, -1)


def _reverse(key: str, legs: Legs, reference: str, rows: Rows) -> Shape | None:
    return _transfer_shape(key, legs, rows, "reverse:payout:", (PayoutState.REVERSED,), +1)


SHAPES = {
    "fund": _fund,
    "open": _open,
    "release": _release,
    "payout": _payout,
    "reverse": _reverse,
    "forfeit": _forfeit,
    "refund": _refund,
}


def _load_rows(payouts: list[Payout]) -> Rows:
    payments = Payment.objects.filter(state=PaymentState.SUCCEEDED).values_list(
        "pk", "subject", "gateway", "amount", "currency"
    )
    refunds = Refund.objects.filter(state=RefundState.SUCCEEDED).values_list(
        "pk",
        "payment__subject",
        "payment__gateway",
        "payment__currency",
        "amount",
        "from_funding",
        "from_escrow",
    )
    return Rows(
        payments={pk: rest for pk, *rest in payments},
        refunds={pk: rest for pk, *rest in refunds},
        payouts=payouts,
    )


def _listed(legs: Legs) -> str:
    return ", ".join(f"{code} {amount:+d} {currency}" for code, amount, currency in legs) or "none"


def check_shapes(payouts: list[Payout], breach) -> None:
    """Every entry against the shape of its kind; an entry of a kind no service posts
    is a breach, and so is a subject opened more than once. Four queries in all."""
    rows = _load_rows(payouts)
    legs: dict[int, Legs] = defaultdict(list)
    for entry_id, code, amount, currency in (
        Leg.objects.order_by("entry_id", "pk")
        .values_list("entry_id", "account__code", "amount", "currency")
        .iterator(chunk_size=5000)
    ):
        legs[entry_id].append((code, amount, currency))
    opened: Counter[str] = Counter()
    for pk, key, kind, reference in Entry.objects.order_by("pk").values_list(
        "pk", "idempotency_key", "kind", "reference"
    ):
        if kind not in SHAPES:
            breach(f"entry {key}: {kind!r} is not a kind of entry the ledger posts")
            continue
        opened[reference] += kind == "open"
        shape = SHAPES[kind](key, legs[pk], reference, rows)
        if shape is None:
            continue
        if reference != shape.subject:
            breach(
                f"entry {key}: posted for {reference!r}, but {shape.basis} is for {shape.subject!r}"
            )
        if sorted(legs[pk]) != sorted(shape.legs):
            breach(
                f"entry {key}: legs {_listed(sorted(legs[pk]))}; {shape.basis} calls for "
                f"{_listed(sorted(shape.legs))}"
            )
    for reference, n in sorted(opened.items()):
        if n > 1:
            breach(f"{reference}: opened by {n} entries; a subject opens once")
