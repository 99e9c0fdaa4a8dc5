"""Ledger benchmark: `.venv/bin/python bench/ledger.py` from the repository root (run by
`make bench` after the catalogue benchmark).

1. On the PostgreSQL server of `DATABASE_URL` (default
   postgres://postgres@127.0.0.1:5432/postgres; loopback only), creates a database
   `<that database>_ledger_bench`, migrates it, and funds 101 challenges through the
   local gateway (`challenge_fund`): 100 for the spread case and 1 hot one.
2. Posts escrow entries from 8 processes (one connection each, `django.setup()` in
   each, so no shared GIL), each for a fixed time: first spread over the 100 challenges,
   then all into the hot one. A posting is one `entry_post` of 1 minor unit from a
   challenge's funding account into its escrow account: its own transaction, the two
   account rows locked, one entry and two legs inserted, two cached balances updated.
   In the hot case every posting waits for the same two row locks.
3. In the same run, pgbench's TPC-B-like script against the same server on its own
   scratch database `<that database>_ledger_pgbench` (`pgbench -i -s 8`, then
   `pgbench -c 8 -j 2 -T <seconds>` once before and once after the postings): same
   client count, same server, same time.
4. Prints postings per second for both cases and their ratio to pgbench's mean tps, then
   runs the ledger audit and checks that nothing drifted: every cached balance equals
   the sum of its legs, every challenge's escrow holds exactly the postings made into
   it, and the entries in the database are the postings the workers counted. Last, one
   line per goal of the speed issue: `GOAL ledger-spread <ratio> >=0.6 met|missed`
   and `GOAL ledger-hot <ratio> >=0.4 met|missed`.

Both databases are dropped at the end. Options: --seconds (per case, default 10),
--workers (default 8), --challenges (default 100). Exits 1 if anything drifted.
Results are recorded in docs/performance.md.
"""

import argparse
import multiprocessing
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
FUNDS = 10**9  # each challenge's pool in minor units, far more than any run posts
GOALS = {"spread": 0.6, "hot": 0.4}  # postings per second over pgbench's tps, per case


# --- databases ---------------------------------------------------------------------------


def server(url: str) -> dict:
    import environ

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("bench/ledger.py needs PostgreSQL: set DATABASE_URL to a postgres:// URL")
    host = config.get("HOST") or "127.0.0.1"
    if host not in LOOPBACK:
        raise SystemExit(f"bench/ledger.py only runs against 127.0.0.1, not {host!r}")
    return {
        "name": config["NAME"],
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or "",
        "host": host,
        "port": str(config.get("PORT") or 5432),
    }


def admin(srv: dict, statement) -> None:
    import psycopg

    params = {k: srv[k] for k in ("user", "password", "host", "port") if srv[k]}
    with psycopg.connect(dbname=srv["name"], autocommit=True, **params) as conn:
        conn.execute(statement)


def create_database(srv: dict, name: str) -> None:
    from psycopg import sql

    drop_database(srv, name)
    admin(srv, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(srv: dict, name: str) -> None:
    from psycopg import sql

    admin(srv, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def django_env(url: str, name: str) -> dict[str, str]:
    return {
        "BENCH_DATABASE_URL": url,
        "BENCH_DATABASE_NAME": name,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


# --- seed --------------------------------------------------------------------------------


def seed(count: int) -> list[str]:
    """`count` challenges awaiting funding with a pool of FUNDS, each funded with what
    is due (pool + fee); their subjects."""
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from marketplace.accounts.models import User
    from marketplace.challenges.models import Challenge, ChallengeKind, ChallengeState, IPModel
    from marketplace.escrow.services import challenge_fund, subject_of
    from marketplace.organisations.models import Membership, Organization
    from marketplace.organisations.roles import OrgRole

    owner = User.objects.create(
        email="owner@bench.invalid", full_name="Bench Owner", password=make_password(None)
    )
    org = Organization.objects.create(name="Bench Ledger Research")
    Membership.objects.create(organization=org, user=owner, role=OrgRole.OWNER)
    deadline = timezone.now() + timedelta(days=30)
    challenges = Challenge.objects.bulk_create(
        Challenge(
            organization=org,
            created_by=owner,
            title=f"Ledger bench challenge {i}",
            summary="Seeded by the ledger benchmark.",
            brief="Seeded by the ledger benchmark.",
            kind=ChallengeKind.THEORETICAL,
            ip_model=IPModel.SOLVER_KEEPS,
            prize_pool=FUNDS,
            currency="USD",
            submission_deadline=deadline,
            judging_deadline=deadline + timedelta(days=30),
            state=ChallengeState.AWAITING_FUNDING,
        )
        for i in range(count)
    )
    for challenge in challenges:
        challenge_fund(challenge_id=challenge.pk, actor=owner)
    return [subject_of(c) for c in challenges]


# --- posting load ------------------------------------------------------------------------


def post_for(env, case, worker, subjects, seconds, ready, results) -> None:
    """One worker process: its own Django and connection; posts until the deadline."""
    setup_django(env)
    from django.db import connection

    from payouts.accounts import subject_account
    from payouts.services.ledger import entry_post, transfer

    rng = random.Random(worker)
    connection.ensure_connection()
    ready.wait(timeout=120)
    end = time.monotonic() + seconds
    cpu = time.process_time()
    latencies = []
    while (started := time.monotonic()) < end:
        subject = rng.choice(subjects)
        entry_post(
            key=f"bench:{case}:{worker}:{len(latencies)}",
            kind="bench",
            reference=subject,
            currency="USD",
            legs=transfer(
                subject_account(subject, "funding"), subject_account(subject, "escrow"), 1
            ),
        )
        latencies.append(time.monotonic() - started)
    cpu = time.process_time() - cpu
    connection.close()
    results.put((latencies, cpu))


def run_case(env, case: str, subjects: list[str], workers: int, seconds: float) -> dict:
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(workers + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=post_for, args=(env, case, w, subjects, seconds, ready, results))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    try:
        ready.wait(timeout=120)  # every worker has set up Django and connected
        began = time.monotonic()
        latencies, cpu = [], 0.0
        for _ in procs:
            mine, seconds_of_cpu = results.get(timeout=seconds + 60)
            latencies += mine
            cpu += seconds_of_cpu
        elapsed = time.monotonic() - began
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.terminate()
                p.join()
    lat = sorted(latencies) or [0.0]
    return {
        "postings": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": lat[len(lat) // 2] * 1000,
        "p95": lat[int(len(lat) * 0.95)] * 1000,
        "cpu": cpu / max(len(latencies), 1) * 1000,
    }


# --- pgbench -----------------------------------------------------------------------------


class PgBench:
    """pgbench from the server's own `pg_config --bindir` (it is not on PATH), against a
    scratch database on the same server."""

    def __init__(self, srv: dict, database: str):
        bindir = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        self.binary = str(Path(bindir) / "pgbench")
        self.env = {**os.environ, "PGPASSWORD": srv["password"]} if srv["password"] else None
        self.args = ["-h", srv["host"], "-p", srv["port"], "-U", srv["user"], database]

    def initialise(self) -> None:
        self._run(["-i", "-s", "8", "-q"], timeout=600)

    def tps(self, clients: int, seconds: float) -> tuple[float, float]:
        """The TPC-B-like script for `seconds`: (tps, average latency in ms)."""
        out = self._run(["-c", str(clients), "-j", "2", "-T", str(int(seconds))], seconds + 120)
        tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
        latency = re.search(r"latency average = ([\d.]+) ms", out)
        if not (tps and latency):
            raise SystemExit(f"could not read pgbench's results from:\n{out}")
        return float(tps.group(1)), float(latency.group(1))

    def _run(self, options: list[str], timeout: float) -> str:
        done = subprocess.run(
            [self.binary, *options, *self.args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise SystemExit(f"pgbench {' '.join(options)} failed:\n{done.stderr}")
        return done.stdout


# --- drift -------------------------------------------------------------------------------


def drift(subjects: list[str], hot: str, posted: dict[str, int]) -> tuple[list[str], str]:
    """Everything that does not add up after the load (empty when nothing drifted), and
    what the audit checked."""
    from django.db.models import Sum

    from payouts.audit import run_audit
    from payouts.models import Account, Entry, Leg
    from payouts.selectors import balance_of

    report = run_audit()
    # The audit reports every entry of a kind no service posts; the bench's own postings
    # are such a kind on purpose (1 unit from funding to escrow), and only those are let be.
    own = "'bench' is not a kind of entry the ledger posts"
    problems = [
        b for b in report.breaches if not (b.startswith("entry bench:") and b.endswith(own))
    ]
    sums = dict(Leg.objects.values_list("account_id").annotate(s=Sum("amount")))
    for pk, code, balance in Account.objects.values_list("pk", "code", "balance"):
        if balance != (sums.get(pk) or 0):
            problems.append(f"{code}: cached {balance}, legs {sums.get(pk) or 0}")
    held = sum(balance_of(s, "escrow") for s in subjects)
    if held != posted["spread"]:
        problems.append(f"escrow of the 100 challenges holds {held}, {posted['spread']} posted")
    if balance_of(hot, "escrow") != posted["hot"]:
        problems.append(f"hot escrow holds {balance_of(hot, 'escrow')}, {posted['hot']} posted")
    entries = Entry.objects.filter(kind="bench").count()
    if entries != posted["spread"] + posted["hot"]:
        problems.append(f"{entries} bench entries, {posted['spread'] + posted['hot']} posted")
    return problems, ", ".join(f"{n:,} {what}" for what, n in report.checked.items())


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="per case (default 10)")
    parser.add_argument("--workers", type=int, default=8, help="processes (default 8)")
    parser.add_argument("--challenges", type=int, default=100, help="spread over (default 100)")
    args = parser.parse_args()

    began = time.monotonic()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    srv = server(url)
    name = f"{srv['name']}_ledger_bench"
    scratch = f"{srv['name']}_ledger_pgbench"
    try:
        create_database(srv, name)
        create_database(srv, scratch)
        env = django_env(url, name)
        setup_django(env)
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0, interactive=False)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        subjects = seed(args.challenges + 1)
        spread, hot = subjects[:-1], subjects[-1]
        connections.close_all()
        print(
            f"Ledger benchmark: PostgreSQL {version} on {srv['host']}:{srv['port']}, "
            f"database {name!r} (dropped at the end), {os.cpu_count()} CPUs, "
            f"{args.workers} processes, {args.seconds:g} s per case"
        )

        bench = PgBench(srv, scratch)
        bench.initialise()
        # pgbench before and after the postings; the ratio uses their mean, since other
        # work on the machine moves both.
        before = bench.tps(args.workers, args.seconds)
        cases = {
            "spread": run_case(env, "spread", spread, args.workers, args.seconds),
            "hot": run_case(env, "hot", [hot], args.workers, args.seconds),
        }
        after = bench.tps(args.workers, args.seconds)
        tps = (before[0] + after[0]) / 2
        labels = {"spread": f"spread over {args.challenges} challenges", "hot": "one hot challenge"}
        print(
            f"\n  {'case':<30} {'per s':>7} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} "
            f"{'÷ tps':>6} {'postings':>9}"
        )
        for case, r in cases.items():
            print(
                f"  {labels[case]:<30} {r['rate']:>7.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
                f"{r['cpu']:>7.1f} {r['rate'] / tps:>6.2f} {r['postings']:>9,}"
            )
        for when, (rate, latency) in (("before", before), ("after", after)):
            print(
                f"  {'pgbench TPC-B-like, ' + when:<30} {rate:>7.1f} {'':>7} {'':>7} {'':>7} "
                f"{'':>6}   (latency average {latency:.1f} ms)"
            )
        print("  CPU ms: the posting processes' own CPU time per posting; ÷ tps: postings per")
        print(f"  second over pgbench's mean tps ({tps:.1f})")

        posted = {case: r["postings"] for case, r in cases.items()}
        problems, checked = drift(spread, hot, posted)
        print(f"\nLedger audit after the load: {checked}")
        if problems:
            for line in problems:
                print(f"  DRIFT {line}")
            return 1
        print(
            "  nothing drifted: every cached balance equals the sum of its legs, each "
            "escrow holds exactly what was posted into it, the audit is clean"
        )
        print(f"\ntotal {time.monotonic() - began:.0f} s")
        for case, goal in GOALS.items():
            ratio = cases[case]["rate"] / tps
            print(f"GOAL ledger-{case} {ratio:.2f} >={goal} {'met' if ratio >= goal else 'missed'}")
        return 0
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        drop_database(srv, name)
        drop_database(srv, scratch)


if __name__ == "__main__":
    sys.exit(main())
