from django.core.management.base import BaseCommand, CommandError

from payouts.audit import run_audit


class Command(BaseCommand):
    help = "Recompute every balance from the legs and check every ledger invariant."

    def handle(self, *args, **options):
        report = run_audit()
        counts = ", ".join(f"{n} {what}" for what, n in report.checked.items())
        if report.clean:
            self.stdout.write(self.style.SUCCESS(f"ledger clean: {counts}"))
            return
        for line in report.breaches:
            self.stderr.write(f"BREACH {line}")
        raise CommandError(f"{len(report.breaches)} breach(es) found ({counts})")
