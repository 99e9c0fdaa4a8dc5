import time

from django.core.management.base import BaseCommand

from marketplace.awards.services.forfeit import awards_forfeit_expired
from marketplace.awards.services.payment import awards_settle_released
from marketplace.lifecycle.reminders import deadline_reminders_send
from marketplace.lifecycle.services import challenges_close_expired
from marketplace.submissions.arrivals import entry_notices_send


class Command(BaseCommand):
    help = (
        "Close every open challenge whose submission deadline has passed, remind registered "
        "solvers of deadlines 48 hours away, forfeit awards whose claim deadline passed, "
        "finish released awards whose payouts were confirmed meanwhile and tell Seekers of "
        "the new entries that waited for their hour. "
        "With --every N it keeps doing so every N seconds: the embedded stand-in for Celery "
        "beat that `make run` starts next to the development server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, every: int, **options):
        while True:
            closed = challenges_close_expired()
            reminded = deadline_reminders_send()
            forfeited = awards_forfeit_expired()
            settled = awards_settle_released()
            told = entry_notices_send()
            if closed or reminded or forfeited or settled or told or not every:
                self.stdout.write(
                    f"closed {closed} challenge(s), sent {reminded} reminder(s), "
                    f"forfeited {forfeited} award(s), settled {settled} award(s), "
                    f"told of new entries on {told} challenge(s)"
                )
            if not every:
                return
            time.sleep(every)
