"""The ledger audit: recompute everything from the legs and check every invariant of
MONEY.md with aggregate queries (its cost grows with the ledger, not per row in Python
beyond the breaches it reports)."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from .models import Account, Entry, Leg, Payment, PaymentState, Refund, RefundState
from .models.ledger import NON_NEGATIVE
from .selectors import statement


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

    subjects = sorted(set(Entry.objects.exclude(reference="").values_list("reference", flat=True)))
    for subject in subjects:
        s = statement(subject)
        if not s["balanced"]:
            breach(
                f"{subject}: received {s['received']} != fee {s['fee']} + held {s['held']} + owed "
                f"{s['owed']} + paid {s['paid']} + refunded {s['refunded']} + unallocated "
                f"{s['unallocated']}"
            )

    report.checked = {
        "entries": Entry.objects.count(),
        "legs": Leg.objects.count(),
        "accounts": len(accounts),
        "subjects": len(subjects),
        "payments": Payment.objects.count(),
        "refunds": Refund.objects.count(),
    }
    return report
