"""`make bench`: every benchmark in turn, each in its own process, its output shown as
it runs; at the end, the goal lines they printed, together, one per goal:

    GOAL <name> <figure> <target> met|missed

so a script can read the last lines. A benchmark that fails (exit status other than 0)
is named before them, and this script then exits 1."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ("catalogue.py", "ledger.py", "upload.py", "awards.py", "ideas.py")


def run(script: str) -> tuple[int, list[str]]:
    """Run one benchmark, echoing its output; return its status and its goal lines."""
    goals = []
    with subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as process:
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if line.startswith("GOAL "):
                goals.append(line.rstrip("\n"))
    return process.returncode, goals


def main() -> int:
    goals, failed = [], []
    for script in BENCHMARKS:
        print(f"\n===== bench/{script} =====", flush=True)
        status, found = run(script)
        goals += found
        if status != 0:
            failed.append(f"bench/{script} exited with status {status}")
    print("\n===== goals =====")
    for line in failed:
        print(f"FAILED {line}")
    for line in goals:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
