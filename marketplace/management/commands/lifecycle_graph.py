import shutil
import subprocess

from django.core.management.base import BaseCommand, CommandError

from marketplace.lifecycle.graph import challenge_lifecycle_dot


class Command(BaseCommand):
    help = (
        "Write the challenge lifecycle, generated from the transition definitions, as DOT and SVG."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dot", required=True, help="where to write the DOT source")
        parser.add_argument("--svg", help="where to write the picture (needs Graphviz's dot)")

    def handle(self, *args, dot: str, svg: str | None, **options):
        source = challenge_lifecycle_dot()
        with open(dot, "w") as f:
            f.write(source)
        if svg:
            if not shutil.which("dot"):
                raise CommandError(
                    "Graphviz's `dot` is needed for --svg (apt-get install graphviz)."
                )
            subprocess.run(["dot", "-Tsvg", "-o", svg], input=source.encode(), check=True)
        self.stdout.write(f"wrote {dot}" + (f" and {svg}" if svg else ""))
