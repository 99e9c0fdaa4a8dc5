from django.core.management.base import BaseCommand, CommandError

from payouts.audit import run_audit
from payouts.gateways import GatewayUnavailable
from payouts.reconcile import run_reconcile


class Command(BaseCommand):
    help = (
        "Recompute every balance from the legs, check every ledger invariant and the shape "
        "of every entry for its kind, and the core's rules (settings.LEDGER_AUDIT_EXTRA_CHECKS)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reconcile",
            action="store_true",
            help=(
                "Also compare every payment and refund done through Stripe with Stripe's "
                "records, and count bank transfers (wire) to compare with the bank statement."
            ),
        )

    def handle(self, *args, **options):
        report = run_audit()
        checked, breaches = dict(report.checked), list(report.breaches)
        if options["reconcile"]:
            try:
                reconciled = run_reconcile()
            except GatewayUnavailable as exc:
                raise CommandError(
                    f"Stripe could not be reached; nothing reconciled: {exc}"
                ) from exc
            checked.update(reconciled.checked)
            breaches += reconciled.breaches
        counts = ", ".join(f"{n} {what}" for what, n in checked.items())
        if not breaches:
            self.stdout.write(self.style.SUCCESS(f"ledger clean: {counts}"))
            return
        for line in breaches:
            self.stderr.write(f"BREACH {line}")
        raise CommandError(f"{len(breaches)} breach(es) found ({counts})")
