"""Read-only lists of the ledger for the statement and staff pages: accounts, entries
with their legs, one account's legs, payments, refunds and flagged gateway events.
Each returns a queryset whose related rows are joined or prefetched, so a page of it
costs the same number of queries whatever its size."""

from django.db.models import Prefetch, Q, QuerySet

from payouts.models import Account, Entry, GatewayEvent, Leg, Payment, Refund


def accounts(*, purpose: str = "", currency: str = "") -> QuerySet[Account]:
    qs = Account.objects.all()
    if purpose:
        qs = qs.filter(purpose=purpose)
    if currency:
        qs = qs.filter(currency=currency)
    return qs.order_by("code")


def _with_legs(qs: QuerySet[Entry]) -> QuerySet[Entry]:
    legs = Leg.objects.select_related("account").order_by("pk")
    return qs.select_related("created_by").prefetch_related(Prefetch("legs", queryset=legs))


def entries(*, search: str = "", reference: str = "", idempotency_key: str = "") -> QuerySet[Entry]:
    """Newest first. `search` matches a reference ("challenge:12") or an idempotency
    key ("fund:7") exactly; `reference` and `idempotency_key` match only that field."""
    qs = Entry.objects.all()
    if search:
        qs = qs.filter(Q(reference=search) | Q(idempotency_key=search))
    if reference:
        qs = qs.filter(reference=reference)
    if idempotency_key:
        qs = qs.filter(idempotency_key=idempotency_key)
    return _with_legs(qs.order_by("-created_at", "-pk"))


def account_legs(account: Account) -> QuerySet[Leg]:
    """One account's legs, newest first, each with its entry."""
    return account.legs.select_related("entry").order_by("-entry__created_at", "-pk")


def payments(*, subject: str = "", state: str = "") -> QuerySet[Payment]:
    qs = Payment.objects.all()
    if subject:
        qs = qs.filter(subject=subject)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("created_by").order_by("-created_at", "-pk")


def payment_for_client_key(key: str) -> Payment | None:
    """The payment `payment_start` recorded for a caller's idempotency key, if any."""
    return Payment.objects.filter(idempotency_key=f"pay:{key}").first()


def refunds(*, subject: str = "") -> QuerySet[Refund]:
    qs = Refund.objects.all()
    if subject:
        qs = qs.filter(payment__subject=subject)
    return qs.select_related("payment").order_by("-created_at", "-pk")


def unknown_gateway_events() -> QuerySet[GatewayEvent]:
    """Provider events staff must look into: about payments the ledger does not know
    ("unknown") or contradicting what it recorded ("failed"). Stored, no money moved."""
    return GatewayEvent.objects.filter(
        outcome__in=[GatewayEvent.Outcome.UNKNOWN, GatewayEvent.Outcome.FAILED]
    ).order_by("-received_at", "-pk")
