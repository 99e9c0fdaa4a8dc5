"""The award rules of the ledger audit (MONEY.md): no award is paid twice, and no
payout exists without a signed deed and a verified winner. `payouts.audit` runs this
through the LEDGER_AUDIT_EXTRA_CHECKS setting, so the ledger never imports the core."""

from django.db.models import Count, Sum

from payouts.models import Payout, PayoutState

from .models import Award, AwardState, award_id_of
from .services.awards import deed_kind

RELEASED_STATES = (AwardState.VERIFIED, AwardState.PAID, AwardState.FORFEITED)


def award_checks(breach) -> None:
    live = Payout.objects.exclude(state=PayoutState.CANCELLED)
    by_reference = {
        row["reference"]: row
        for row in live.values("reference").annotate(total=Sum("amount"), n=Count("pk"))
    }
    award_ids = {ref: award_id_of(ref) for ref in by_reference}
    awards = {
        a.pk: a
        for a in Award.objects.filter(pk__in=[pk for pk in award_ids.values() if pk])
        .select_related("challenge")
        .prefetch_related("recipients")
    }
    for reference, row in sorted(by_reference.items()):
        award = awards.get(award_ids[reference])
        if award is None:
            breach(f"payouts of {reference}: no such award")
            continue
        if award.released_at is None or award.state not in RELEASED_STATES:
            breach(f"{reference}: payouts exist but the award was never released ({award.state})")
        if row["total"] > award.amount:
            breach(f"{reference}: payouts of {row['total']} exceed the award of {award.amount}")
        paid_people = [r for r in award.recipients.all() if r.amount > 0]
        if row["n"] > len(paid_people):
            breach(f"{reference}: {row['n']} payouts for {len(paid_people)} winner(s)")
        if deed_kind(award.challenge) and any(r.deed_id is None for r in paid_people):
            breach(f"{reference}: paid out without every winner's signed deed")
        if award.verified_at is None:
            breach(f"{reference}: paid out before the winner was verified")
    for award in Award.objects.filter(state=AwardState.PAID).exclude(pk__in=awards):
        breach(f"{award.reference}: marked paid without any payout")
