"""The ledger audit: recompute everything from the legs and check every invariant of
MONEY.md, and the shape of every entry for its kind (`audit_shapes`). A constant number
of queries, whatever the size of the ledger; the rows are read once each."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils.module_loading import import_string

from payouts.accounts import payable_account, subject_account
from payouts.audit_shapes import check_shapes
from payouts.models import (
    Account,
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
from payouts.models.ledger import NON_NEGATIVE
from payouts.selectors import statement


@dataclass
class AuditReport:
    checked: dict[str, int] = field(default_factory=dict)
    breaches: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.breaches


def run_audit() -> AuditReport:
    report = AuditReport()
    breach = report.breaches.append

    for row in (
        Leg.objects.values("entry_id", "entry__idempotency_key", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
    ):
        breach(
            f"entry {row['entry__idempotency_key']}: legs in {row['currency']} sum to {row['total']}"
        )
    for row in (
        Entry.objects.annotate(n=Count("legs")).filter(n__lt=2).values("idempotency_key", "n")
    ):
        breach(f"entry {row['idempotency_key']}: {row['n']} leg(s); at least two needed")
    for leg in Leg.objects.filter(amount=0).select_related("entry"):
        breach(f"entry {leg.entry.idempotency_key}: a zero leg")
    for leg in Leg.objects.exclude(currency=F("account__currency")).select_related(
        "entry", "account"
    ):
        breach(
            f"entry {leg.entry.idempotency_key}: leg in {leg.currency} on {leg.account.code} "
            f"({leg.account.currency})"
        )

    sums = dict(
        Leg.objects.values_list("account_id")
        .annotate(s=Sum("amount"))
        .values_list("account_id", "s")
    )
    accounts = list(Account.objects.all())
    for account in accounts:
        recomputed = sums.get(account.pk) or 0
        if account.balance != recomputed:
            breach(
                f"account {account.code}: cached balance {account.balance}, legs say {recomputed}"
            )
        if account.purpose in NON_NEGATIVE and recomputed < 0:
            breach(f"account {account.code}: negative balance {recomputed}")

    fund_keys = set(Entry.objects.filter(kind="fund").values_list("idempotency_key", flat=True))
    succeeded = {
        f"fund:{pk}"
        for pk in Payment.objects.filter(state=PaymentState.SUCCEEDED).values_list("pk", flat=True)
    }
    for key in sorted(succeeded - fund_keys):
        breach(f"payment {key.split(':', 1)[1]} succeeded but was never posted")
    for key in sorted(fund_keys - succeeded):
        breach(f"entry {key} has no successful payment behind it")
    refund_keys = set(Entry.objects.filter(kind="refund").values_list("idempotency_key", flat=True))
    refunded = {
        f"refund:{pk}"
        for pk in Refund.objects.filter(state=RefundState.SUCCEEDED).values_list("pk", flat=True)
    }
    for key in sorted(refunded - refund_keys):
        breach(f"refund {key.split(':', 1)[1]} succeeded but was never posted")
    for key in sorted(refund_keys - refunded):
        breach(f"entry {key} has no successful refund behind it")
    over = Payment.objects.annotate(
        back=Sum("refunds__amount", filter=~Q(refunds__state=RefundState.FAILED))
    ).filter(back__gt=F("amount"))
    for payment in over:
        breach(f"payment {payment.pk}: refunds {payment.back} exceed the payment {payment.amount}")

    payouts = list(
        Payout.objects.only(
            "subject", "reference", "key", "payee_id", "amount", "currency", "gateway", "state"
        )
    )
    _check_payouts(payouts, breach)
    check_shapes(payouts, breach)
    extra_checks = settings.LEDGER_AUDIT_EXTRA_CHECKS
    for path in extra_checks:
        import_string(path)(breach)

    subjects = _check_statements({a.code: a.balance for a in accounts}, breach)

    report.checked = {
        "entries": Entry.objects.count(),
        "legs": Leg.objects.count(),
        "accounts": len(accounts),
        "subjects": subjects,
        "payments": Payment.objects.count(),
        "refunds": Refund.objects.count(),
        "payouts": len(payouts),
        "extra checks": len(extra_checks),
    }
    return report


def _check_statements(balances: dict[str, int], breach) -> int:
    """The statement identity of every subject at once, from one grouped sum of the
    legs: received = fee + held + owed + paid + refunded + unallocated, which is
    received - fee - released + forfeited - refunded = held + unallocated (owed and
    paid together are what was released and not forfeited). `selectors.statement`
    spells out the figures of a subject that fails it. Returns the number of subjects."""
    sums: dict[str, dict[tuple[str, str], int]] = {}
    rows = (
        Leg.objects.exclude(entry__reference="")
        .values_list("entry__reference", "entry__kind", "account__purpose", "account__code")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for subject, kind, purpose, code, total in rows:
        by_kind = sums.setdefault(subject, {})
        if kind == "fund" and code != subject_account(subject, AccountPurpose.FUNDING)[0]:
            continue  # received counts only what reached the subject's funding
        by_kind[kind, purpose] = by_kind.get((kind, purpose), 0) + total
    for subject in sorted(sums):
        s = sums[subject]
        moved = (
            s.get(("fund", AccountPurpose.FUNDING), 0)
            - s.get(("open", AccountPurpose.FEES), 0)
            - s.get(("release", AccountPurpose.PAYABLE), 0)
            - s.get(("forfeit", AccountPurpose.PAYABLE), 0)
            - s.get(("refund", AccountPurpose.CLEARING), 0)
        )
        held = balances.get(subject_account(subject, AccountPurpose.ESCROW)[0], 0)
        unallocated = balances.get(subject_account(subject, AccountPurpose.FUNDING)[0], 0)
        if moved != held + unallocated:
            f = statement(subject)
            breach(
                f"{subject}: received {f['received']} != fee {f['fee']} + held {f['held']} + "
                f"owed {f['owed']} + paid {f['paid']} + refunded {f['refunded']} + unallocated "
                f"{f['unallocated']}"
            )
    return len(sums)


def _payable_legs(kind: str) -> dict[str, dict[str, int]]:
    """{entry key: {payable account code: amount}} of every entry of `kind` (an entry
    touching no payable account maps to {})."""
    legs: dict[str, dict[str, int]] = {
        key: {} for key in Entry.objects.filter(kind=kind).values_list("idempotency_key", flat=True)
    }
    rows = Leg.objects.filter(entry__kind=kind, account__purpose="payable").values_list(
        "entry__idempotency_key", "account__code", "amount"
    )
    for key, code, amount in rows:
        legs[key][code] = legs[key].get(code, 0) + amount
    return legs


def _compare(kind: str, expected: dict, breach, *, unposted: str, unbacked: str) -> None:
    """Entries of `kind` against what the payouts say they should be, leg by leg."""
    posted = _payable_legs(kind)
    for key in sorted(posted.keys() | expected.keys()):
        if key not in posted:
            breach(unposted % {"key": key})
        elif key not in expected:
            breach(unbacked % {"key": key})
        elif posted[key] != expected[key]:
            breach(f"entry {key}: payable legs {posted[key]}, payouts say {expected[key]}")


def _check_payouts(payouts: list[Payout], breach) -> None:
    """Payouts against their entries: every release leg a payout, every paid payout
    posted once (and its reversal when reversed), every cancelled payout forfeited, no
    award paying out more than it released."""
    released: dict[str, dict[str, int]] = {}
    paid: dict[str, dict[str, int]] = {}
    reversed_: dict[str, dict[str, int]] = {}
    forfeited: dict[str, dict[str, int]] = {}
    for payout in payouts:
        code = payable_account(payout.payee_id, payout.currency)[0]
        amount, state = payout.amount, payout.state
        released.setdefault(f"release:{payout.reference}", {})[code] = amount
        if state in (PayoutState.SUCCEEDED, PayoutState.REVERSED):
            paid[f"payout:{payout.key}"] = {code: -amount}
        if state == PayoutState.REVERSED:
            reversed_[f"reverse:payout:{payout.key}"] = {code: amount}
        if state == PayoutState.CANCELLED:
            forfeited.setdefault(f"forfeit:{payout.reference}", {})[code] = -amount
    _compare(
        "release",
        released,
        breach,
        unposted="%(key)s: payouts exist but the award was never released",
        unbacked="entry %(key)s has no payouts behind it",
    )
    _compare(
        "payout",
        paid,
        breach,
        unposted="%(key)s: the payout was paid but never posted",
        unbacked="entry %(key)s has no paid payout behind it",
    )
    _compare(
        "reverse",
        reversed_,
        breach,
        unposted="%(key)s: the payout was reversed but the reversal never posted",
        unbacked="entry %(key)s has no reversed payout behind it",
    )
    _compare(
        "forfeit",
        forfeited,
        breach,
        unposted="%(key)s: payouts were cancelled but never forfeited",
        unbacked="entry %(key)s has no cancelled payouts behind it",
    )
    releases = {key: sum(legs.values()) for key, legs in _payable_legs("release").items()}
    live = Payout.objects.exclude(state=PayoutState.CANCELLED).values_list("reference")
    for reference, total in live.annotate(total=Sum("amount")):
        release = releases.get(f"release:{reference}", 0)
        if total > release:
            breach(f"{reference}: payouts of {total} exceed its release of {release}")
