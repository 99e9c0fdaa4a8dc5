"""Aggregate reads for the staff dashboard: money by currency, money over time,
challenges by state, payouts needing attention and the ledger audit's verdict.

Five grouped queries whatever the size of the ledger. The audit re-reads every subject,
so its verdict is cached for AUDIT_CACHE_SECONDS and shown with the time it was taken.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.staff.queries import needs_attention
from payouts.audit import run_audit
from payouts.models import Account, AccountPurpose, Leg, Payout

AUDIT_CACHE_KEY = "staff-dashboard:audit"
AUDIT_CACHE_SECONDS = 300

# How a period is cut and how many of the latest periods the dashboard shows.
PERIODS = {"month": (TruncMonth, 24), "week": (TruncWeek, 26)}

# The legs behind each flow (MONEY.md): escrow legs of any kind move what is held;
# payouts and their reversals move payable accounts; refunds credit the clearing account.
HELD = Q(account__purpose=AccountPurpose.ESCROW)
PAID = Q(account__purpose=AccountPurpose.PAYABLE, entry__kind__in=("payout", "reverse"))
REFUNDED = Q(account__purpose=AccountPurpose.CLEARING, entry__kind="refund")
RECEIVED = Q(account__purpose=AccountPurpose.FUNDING, entry__kind="fund")


@dataclass(frozen=True)
class MoneyFigures:
    """One currency's totals in minor units; `challenges` counts its funding accounts."""

    currency: str
    challenges: int = 0
    received: int = 0
    held: int = 0
    owed: int = 0
    paid: int = 0
    refunded: int = 0
    fees: int = 0
    unallocated: int = 0


@dataclass(frozen=True)
class Period:
    """One month or week: escrow balance at its end, and what was paid and refunded in it
    and up to its end."""

    start: date
    held: int
    paid: int
    refunded: int
    paid_to_date: int
    refunded_to_date: int


class StateCount(NamedTuple):
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class AuditVerdict:
    clean: bool
    breaches: int
    checked_at: datetime


@dataclass(frozen=True)
class Dashboard:
    currencies: list[str]
    currency: str | None
    period: str
    figures: MoneyFigures | None
    series: list[Period]
    states: list[StateCount]
    open_challenges: int
    payouts_attention: int
    audit: AuditVerdict


def money_by_currency() -> dict[str, MoneyFigures]:
    """Every currency the ledger holds, with its balances and flows (two queries)."""
    balances: dict[str, dict[str, int]] = defaultdict(dict)
    challenges: dict[str, int] = defaultdict(int)
    for currency, purpose, total, count in (
        Account.objects.order_by()
        .values_list("currency", "purpose")
        .annotate(total=Sum("balance"), count=Count("pk"))
    ):
        balances[currency][purpose] = total
        if purpose == AccountPurpose.FUNDING:
            challenges[currency] = count
    flows = {
        row["currency"]: row
        for row in Leg.objects.filter(RECEIVED | PAID | REFUNDED)
        .order_by()
        .values("currency")
        .annotate(
            received=Sum("amount", filter=RECEIVED, default=0),
            paid=Sum("amount", filter=PAID, default=0),
            refunded=Sum("amount", filter=REFUNDED, default=0),
        )
    }
    figures = {}
    for currency in sorted(balances):
        held = balances[currency]
        flow = flows.get(currency, {})
        figures[currency] = MoneyFigures(
            currency=currency,
            challenges=challenges[currency],
            received=flow.get("received", 0),
            held=held.get(AccountPurpose.ESCROW, 0),
            owed=held.get(AccountPurpose.PAYABLE, 0),
            paid=-flow.get("paid", 0),
            refunded=flow.get("refunded", 0),
            fees=held.get(AccountPurpose.FEES, 0),
            unallocated=held.get(AccountPurpose.FUNDING, 0),
        )
    return figures


def largest_currency(figures: dict[str, MoneyFigures]) -> str | None:
    """The currency most challenges were funded in (amounts in different currencies
    cannot be compared); ties go to the one with more held."""
    if not figures:
        return None
    return max(figures.values(), key=lambda f: (f.challenges, f.held, f.received)).currency


def _next_start(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _period_start(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def money_series(
    currency: str, period: str = "month", *, today: date | None = None
) -> list[Period]:
    """The latest periods (see PERIODS) up to today's, without gaps, in one query; empty
    when no money has moved in `currency`."""
    trunc, keep = PERIODS[period]
    rows = (
        Leg.objects.filter(HELD | PAID | REFUNDED, currency=currency)
        .annotate(period=trunc("entry__created_at"))
        .order_by()
        .values("period")
        .annotate(
            held=Sum("amount", filter=HELD, default=0),
            paid=Sum("amount", filter=PAID, default=0),
            refunded=Sum("amount", filter=REFUNDED, default=0),
        )
    )
    moves = {_as_date(row["period"]): row for row in rows}
    if not moves:
        return []
    last = _period_start(today or timezone.localdate(), period)
    start = min(moves)
    held = paid_to_date = refunded_to_date = 0
    series = []
    while start <= max(last, max(moves)):
        row = moves.get(start, {})
        held += row.get("held", 0)
        paid, refunded = -row.get("paid", 0), row.get("refunded", 0)
        paid_to_date += paid
        refunded_to_date += refunded
        series.append(Period(start, held, paid, refunded, paid_to_date, refunded_to_date))
        start = _next_start(start, period)
    return series[-keep:]


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def challenges_by_state() -> list[StateCount]:
    """Every state, in lifecycle order, with its number of challenges."""
    counts = dict(Challenge.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return [StateCount(s.value, s.label, counts.get(s.value, 0)) for s in ChallengeState]


def payouts_needing_attention() -> int:
    return Payout.objects.filter(needs_attention()).count()


def audit_verdict() -> AuditVerdict:
    """The ledger audit's verdict, taken at most AUDIT_CACHE_SECONDS ago."""
    verdict = cache.get(AUDIT_CACHE_KEY)
    if verdict is None:
        report = run_audit()
        verdict = AuditVerdict(report.clean, len(report.breaches), timezone.now())
        cache.set(AUDIT_CACHE_KEY, verdict, AUDIT_CACHE_SECONDS)
    return verdict


def dashboard(*, currency: str = "", period: str = "month") -> Dashboard:
    """Everything the dashboard shows, for `currency` (default: the largest) by `period`
    ("month" or "week")."""
    money = money_by_currency()
    chosen = currency or largest_currency(money)
    states = challenges_by_state()
    return Dashboard(
        currencies=list(money),
        currency=chosen,
        period=period,
        figures=money.get(chosen, MoneyFigures(chosen)) if chosen else None,
        series=money_series(chosen, period) if chosen else [],
        states=states,
        open_challenges=next(s.count for s in states if s.state == ChallengeState.OPEN),
        payouts_attention=payouts_needing_attention(),
        audit=audit_verdict(),
    )
