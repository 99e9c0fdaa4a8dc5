import time

from django.core.management.base import BaseCommand

from marketplace.services.lifecycle import challenges_close_expired


class Command(BaseCommand):
    help = (
        "Close every open challenge whose submission deadline has passed. With --every N it "
        "keeps sweeping every N seconds: the embedded stand-in for Celery beat that `make run` "
        "starts next to the development server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, every: int, **options):
        while True:
            closed = challenges_close_expired()
            if closed or not every:
                self.stdout.write(f"closed {closed} challenge(s)")
            if not every:
                return
            time.sleep(every)
