"""Awards benchmark: an ideation challenge with 1,000 small awards.
`.venv/bin/python bench/awards.py` from the repository root (run by `make bench`).

1. Prepares a throwaway database on PostgreSQL (`DATABASE_URL`, loopback only, by default
   postgres://postgres@127.0.0.1:5432/postgres): a database `<that database>_awards_bench`
   on that server, dropped at the end. If that server does not answer, a SQLite file in a
   temporary directory (said so). Deeds and certificates are stored in a temporary media
   directory.
2. Set-up, through the services: an organisation, its owner and an ideation challenge
   (non-exclusive licence) with `--awards` planned awards of 100.00 USD, submitted,
   approved, funded (local gateway) and opened. The solvers, their registrations and one
   entry each are bulk-created (not under test). The deadline is moved into the past;
   the challenge is closed, then judged without scores (start judging, start awarding).
3. Measured: `award_propose` for every entry.
4. Set-up, timed and printed: every winner accepts, signs the licence deed (a PDF each)
   and files a W-9 (not yet rechecked).
5. Measured (a): `awards_recheck_for` for every winner, which verifies the award and so
   releases it, and its payment "through the worker".
   With PostgreSQL and a Redis broker that answers (`--broker`, by default
   redis://127.0.0.1:6379/15), `--workers` money worker processes (`-Q celery`,
   `--pool=solo`) pay the awards and one worker for certificates and e-mail
   (`-Q certificates,mail`, under `nice -n 10` so that it does not take CPU from money)
   stores the certificates and sends the winners' e-mails, against
   the scratch database; the time runs from the first release to the last award paid
   (polled), and to the last certificate stored. Otherwise (the embedded configuration,
   said so) the payout task and the certificate task it queues run eagerly in the
   releasing process.
6. Measured (b): `certificate_generate` for every certificate (each renders the PDF
   again, hashes it and compares it with the stored one), and (c) in the same run, the
   same WeasyPrint call (`legal.pdf.html_to_pdf`) rendering `<p>x</p>` as many times.
   Prints (b) ÷ (c), in time and in CPU time, and the milliseconds per certificate; the
   last line says whether (b) ÷ (c) in time meets the goal of 1.5 at most.
7. `awards_finalize` completes the challenge; prints the ledger audit and the escrow
   statement, and checks that every award is paid and every stored certificate PDF has
   its recorded SHA-256. Exits 1 otherwise.

Each timed line gives the total, the rate, the time and this process's CPU time per
item (on a shared machine the CPU time is the steadier figure), and the time per item
over the first and the last tenth, which shows whether an action slows down as awards
accumulate.

The last two lines are the goals:
`GOAL awards-1000 <seconds> <60 met|missed`: from the first release to the last award paid,
met only under 60 s, with 2 money workers on PostgreSQL, and with the last tenth's release
time per award at most 1.5 times the first tenth's (linear in the count); and
`GOAL certificate <(b) / (c)> <=1.5 met|missed`.

Options: --awards (default 1000), --broker (a Redis URL; the broker's queues are purged
first), --workers (money workers, default 2). Results are recorded in docs/performance.md.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ledger import create_database, drop_database, server  # noqa: E402

AWARD = 10_000  # minor units: 100.00 USD per award
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_BROKER = "redis://127.0.0.1:6379/15"
GOAL_SECONDS = 60
GOAL_WORKERS = 2
LINEAR_LIMIT = 1.5  # the last tenth's time per award over the first tenth's
QUEUES = ("celery", "certificates", "mail")
POLL_SECONDS = 0.5
WAIT_LIMIT = 3600


# --- environment -------------------------------------------------------------------------


def postgres_answers(url: str) -> bool:
    import psycopg

    srv = server(url)
    params = {k: srv[k] for k in ("user", "password", "host", "port") if srv[k]}
    try:
        psycopg.connect(dbname=srv["name"], connect_timeout=3, **params).close()
    except psycopg.OperationalError:
        return False
    return True


def redis_answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def services(broker: str) -> tuple[str, str, str]:
    """(the PostgreSQL URL or "", the broker URL or "", what is missing for workers)."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    if not url.startswith(("postgres://", "postgresql://")):
        return "", "", f"DATABASE_URL is not PostgreSQL ({url.split(':', 1)[0]})"
    if not postgres_answers(url):
        return "", "", f"PostgreSQL does not answer at {server(url)['host']}"
    broker = broker or DEFAULT_BROKER
    if not redis_answers(broker):
        return url, "", f"the broker does not answer at {broker}"
    return url, broker, ""


def environment(tmp: Path, url: str, broker: str) -> tuple[dict[str, str], dict | None, str]:
    """(environment for bench.settings, the PostgreSQL server or None, description)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "MEDIA_ROOT": str(tmp / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": broker,
        "PAYMENT_GATEWAY": "local",
    }
    if not url:
        env["BENCH_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        return env, None, "SQLite file in a temporary directory"
    srv = server(url)
    name = f"{srv['name']}_awards_bench"
    create_database(srv, name)
    srv["bench"] = name
    env |= {"BENCH_DATABASE_URL": url, "BENCH_DATABASE_NAME": name}
    return (
        env,
        srv,
        f"PostgreSQL database {name!r} on {srv['host']}:{srv['port']} (dropped at the end)",
    )


def setup_django(env: dict[str, str]) -> str:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


# --- workers -----------------------------------------------------------------------------


class Workers:
    """`count` money worker processes (`-Q celery`) and one worker for certificates and
    e-mail (`-Q certificates,mail`, under `nice -n 10`), solo pool (one task at a time each), with
    the benchmark's settings; their output goes to a log file, shown if a wait fails."""

    def __init__(self, env: dict[str, str], count: int, log: Path):
        import redis

        client = redis.Redis.from_url(env["CELERY_BROKER_URL"])
        client.delete(*QUEUES, "unacked", "unacked_index")  # left by an interrupted run
        client.close()
        self.log = open(log, "w+")  # noqa: SIM115 - closed by stop()
        roles = [("money", "celery", [])] * count + [
            ("documents", "certificates,mail", ["nice", "-n", "10"])
        ]
        self.procs = [
            subprocess.Popen(
                [
                    *prefix,
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-Q",
                    queue,
                    "-n",
                    f"awards-bench-{role}-{i}@%h",
                ],
                env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                cwd=ROOT,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
            for i, (role, queue, prefix) in enumerate(roles)
        ]
        self.broker = env["CELERY_BROKER_URL"]

    def cpu_seconds(self) -> float:
        """The workers' CPU time so far (user + system, from /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for proc in self.procs:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / ticks

    def idle(self) -> bool:
        """Nothing queued and nothing taken but unacknowledged (tasks ack late)."""
        import redis

        client = redis.Redis.from_url(self.broker)
        try:
            return all(client.llen(q) == 0 for q in QUEUES) and client.hlen("unacked") == 0
        finally:
            client.close()

    def wait(self, predicate, what: str) -> None:
        deadline = time.monotonic() + WAIT_LIMIT
        while not predicate():
            if any(p.poll() is not None for p in self.procs):
                self.fail(f"a worker exited while waiting for {what}")
            if time.monotonic() > deadline:
                self.fail(f"timed out waiting for {what}")
            time.sleep(POLL_SECONDS)

    def fail(self, message: str):
        self.log.seek(0)
        print(self.log.read()[-4000:])
        raise SystemExit(message)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.log.close()


# --- set-up ------------------------------------------------------------------------------


def challenge_with_entries(count: int):
    """An awarding ideation challenge with `count` planned awards and as many entries,
    one per solver: (challenge, owner, solvers in entry order)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from marketplace.accounts.models import User
    from marketplace.challenges.inputs import ChallengeInput, RequirementInput
    from marketplace.challenges.models import Challenge
    from marketplace.challenges.services import challenge_create
    from marketplace.escrow.services import challenge_fund
    from marketplace.lifecycle.services import challenge_transition
    from marketplace.organisations.services import organization_create
    from marketplace.participation.models import Registration
    from marketplace.submissions.models import Submission

    staff = User.objects.create_user("staff@bench.invalid", is_staff=True)
    owner = User.objects.create_user("owner@bench.invalid", full_name="Bench Owner")
    org = organization_create(name="Bench Ideas Lab", owner=owner)
    now = timezone.now()
    challenge = challenge_create(
        organization_id=org.pk,
        actor=owner,
        data=ChallengeInput(
            title="A thousand ideas for reusable packaging",
            summary="Every useful idea wins a small award.",
            brief="## Brief\nSend one idea.",
            kind="ideation",
            prize_pool=AWARD * count,
            currency="USD",
            ip_model="licence",
            submission_deadline=now + timedelta(days=30),
            judging_deadline=now + timedelta(days=60),
            requirements=[RequirementInput("Useful", 100)],
            award_amounts=[AWARD] * count,
        ),
    )
    challenge_transition(challenge_id=challenge.pk, name="submit", actor=owner)
    challenge_transition(challenge_id=challenge.pk, name="approve", actor=staff)
    challenge_fund(challenge_id=challenge.pk, actor=owner)
    challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)

    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=f"solver{i}@bench.invalid", full_name=f"Bench Solver {i:04d}", password=unusable)
        for i in range(count)
    )
    solvers = list(
        User.objects.filter(
            email__endswith="@bench.invalid", full_name__startswith="Bench Solver"
        ).order_by("full_name")
    )
    Registration.objects.bulk_create(Registration(challenge=challenge, user=u) for u in solvers)
    Submission.objects.bulk_create(
        Submission(
            challenge=challenge,
            author=u,
            title=f"Idea {i:04d}",
            abstract="A reusable crate.",
            body="## Idea\nA reusable crate.",
            sha256=hashlib.sha256(f"idea {i}".encode()).hexdigest(),
        )
        for i, u in enumerate(solvers)
    )
    Challenge.objects.filter(pk=challenge.pk).update(submission_deadline=now - timedelta(minutes=1))
    challenge_transition(challenge_id=challenge.pk, name="close", actor=None)
    challenge_transition(challenge_id=challenge.pk, name="start_judging", actor=owner)
    challenge_transition(challenge_id=challenge.pk, name="start_awarding", actor=owner)
    return Challenge.objects.get(pk=challenge.pk), owner, solvers


def w9(user) -> dict:
    return {
        "legal_name": user.full_name,
        "tax_classification": "individual",
        "address_line": "1 Market Street",
        "city": "San Francisco",
        "region": "CA",
        "postal_code": "94105",
        "country": "US",
        "tin_kind": "ssn",
        "tin": f"{user.pk:09d}"[:3] + "-" + f"{user.pk:09d}"[3:5] + "-" + f"{user.pk:09d}"[5:],
        "signature_name": user.full_name,
        "certified": True,
    }


def claim(award, user) -> None:
    """What a winner does: accept, sign the deed they are shown, file a W-9. The
    verification that follows (and releases the award) is measured separately."""
    from marketplace.awards.services.claim import award_accept, award_deed_sign
    from marketplace.awards.services.deeds import award_deed
    from payouts.services.tax import tax_form_submit

    award_accept(award_id=award.pk, user=user)
    shown = award_deed(award=award, user=user)
    award_deed_sign(
        award_id=award.pk, user=user, accepted_sha256=shown.sha256, signature=user.full_name
    )
    tax_form_submit(user=user, kind="w9", data=w9(user))


# --- measuring ---------------------------------------------------------------------------


def timed(label: str, items, action) -> tuple[float, float, float]:
    """Run `action` on every item; print the total, the rate, the time and this
    process's CPU time per item, and the time per item over the first and the last
    tenth (does it grow with the number of awards?). Returns (seconds, CPU seconds) per
    item and the last tenth's time per item over the first tenth's."""
    durations = []
    cpu = time.process_time()
    for item in items:
        started = time.perf_counter()
        action(item)
        durations.append(time.perf_counter() - started)
    cpu = time.process_time() - cpu
    total, n = sum(durations), len(durations)
    tenth = max(n // 10, 1)
    first = sum(durations[:tenth]) / tenth * 1000
    last = sum(durations[-tenth:]) / tenth * 1000
    print(
        f"  {label:<44} {total:>7.1f} s {n / total:>7.1f}/s {total / n * 1000:>7.1f} ms "
        f"{cpu / n * 1000:>7.1f} ms {first:>9.1f} {last:>9.1f}"
    )
    return total / n, cpu / n, last / first


def release_all(challenge, winners, awards, workers: Workers | None) -> tuple[float, float]:
    """Release every award and have it paid: (seconds from the first release to the last
    award paid, the release's last tenth over its first tenth per award)."""
    from legal.models import Certificate
    from marketplace.awards.models import Award, AwardState
    from marketplace.awards.services.release import awards_recheck_for

    references = [a.reference for a in awards]
    began = time.perf_counter()
    worker_cpu = workers.cpu_seconds() if workers else 0.0
    label = "(a) verify + release, paid" if workers is None else "verify + release, queued"
    releasing, _cpu, growth = timed(
        label, awards, lambda a: awards_recheck_for(user=winners[a.submission.author_id])
    )
    if workers is None:
        print("    each call ran the payout task and the certificate task it queues, eagerly")
        return time.perf_counter() - began, growth

    def paid() -> bool:
        return Award.objects.filter(challenge=challenge, state=AwardState.PAID).count() == len(
            awards
        )

    workers.wait(paid, "every award to be paid")
    all_paid = time.perf_counter() - began
    stored = Certificate.objects.filter(reference__in=references).exclude(pdf_sha256="")
    workers.wait(lambda: stored.count() == len(awards), "every certificate to be stored")
    all_stored = time.perf_counter() - began
    worker_cpu = workers.cpu_seconds() - worker_cpu
    n = len(awards)
    print(f"    releasing took {releasing * n:.1f} s; the money workers paid the awards meanwhile")
    for label, seconds in (("award paid", all_paid), ("certificate stored", all_stored)):
        print(
            f"  {'(a) first release -> last ' + label:<44} {seconds:>7.1f} s {n / seconds:>7.1f}/s "
            f"{seconds / n * 1000:>7.1f} ms"
        )
    print(
        f"    the workers' CPU time: {worker_cpu / n * 1000:.1f} ms per award, certificate included"
    )
    return all_paid, growth


def render_certificates(references: list[str]) -> tuple[float, float]:
    from legal.documents import certificate_generate
    from legal.models import Certificate
    from marketplace.awards.certificates import verify_url

    certificates = list(Certificate.objects.filter(reference__in=references).order_by("pk"))
    return timed(
        "(b) certificate_generate",
        certificates,
        lambda c: certificate_generate(certificate_id=c.pk, verify_url=verify_url(c)),
    )


def render_minimal(count: int) -> tuple[float, float]:
    from legal.pdf import html_to_pdf

    return timed(
        "(c) WeasyPrint <p>x</p>",
        range(count),
        lambda i: html_to_pdf("<p>x</p>", identifier=f"minimal {i}"),
    )


# --- checks ------------------------------------------------------------------------------


def problems(challenge, count: int) -> list[str]:
    from django.core.files.storage import default_storage

    from legal.models import Certificate
    from marketplace.awards.models import AwardState
    from payouts.audit import run_audit

    found = []
    challenge = type(challenge).objects.get(pk=challenge.pk)
    if challenge.state != "completed":
        found.append(f"the challenge is {challenge.state}, not completed")
    paid = challenge.awards.filter(state=AwardState.PAID).count()
    if paid != count:
        found.append(f"{paid} of {count} awards paid")
    references = [f"award:{pk}" for pk in challenge.awards.values_list("pk", flat=True)]
    for certificate in Certificate.objects.filter(reference__in=references):
        with default_storage.open(certificate.pdf.name, "rb") as pdf:
            if hashlib.sha256(pdf.read()).hexdigest() != certificate.pdf_sha256:
                found.append(
                    f"certificate {certificate.number}: stored PDF differs from its SHA-256"
                )
    report = run_audit()
    found += report.breaches
    print(f"\nLedger audit: {', '.join(f'{n:,} {what}' for what, n in report.checked.items())}")
    print("  clean" if report.clean else "  NOT CLEAN")
    return found


def print_statement(challenge) -> None:
    from marketplace.core.references import subject_of
    from payouts.currency import format_money
    from payouts.selectors import statement

    figures = statement(subject_of(challenge))
    print(f"\nEscrow statement of {subject_of(challenge)} ({challenge.state})")
    for key in ("received", "fee", "held", "owed", "paid", "refunded", "unallocated"):
        print(f"  {key:<12} {format_money(figures[key], challenge.currency, 'en'):>16}")
    print(f"  received = fee + held + owed + paid + refunded + unallocated: {figures['balanced']}")


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--awards", type=int, default=1000, help="awards (default 1000)")
    parser.add_argument("--broker", default="", help="Redis URL: pay through real workers")
    parser.add_argument("--workers", type=int, default=2, help="with --broker (default 2)")
    args = parser.parse_args()

    began = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="awards-bench-"))
    srv, workers = None, None
    try:
        url, broker, missing = services(args.broker)
        env, srv, where = environment(tmp, url, broker)
        engine = setup_django(env)
        mode = (
            f"{args.workers} money workers (-Q celery) and 1 worker for certificates and "
            f"e-mail (-Q certificates,mail, nice -n 10), --pool=solo, on {broker}"
            if broker
            else f"embedded ({missing}): no broker, tasks run eagerly in process"
        )
        print(
            f"Awards benchmark: {args.awards:,} awards of 100.00 USD; {engine}, {where}; "
            f"{os.cpu_count()} CPUs; {mode}"
        )
        if broker:
            workers = Workers(env, args.workers, tmp / "workers.log")

        started = time.perf_counter()
        challenge, owner, solvers = challenge_with_entries(args.awards)
        print(
            f"\n  set-up: the challenge opened, {args.awards:,} entries, closed, awarding: "
            f"{time.perf_counter() - started:.1f} s"
        )

        from marketplace.awards.services.propose import award_propose

        print(
            f"\n  {'action':<44} {'total':>9} {'rate':>9} {'each':>10} {'CPU each':>10} "
            f"{'first 10%':>9} {'last 10%':>9}"
        )
        planned = list(challenge.planned_awards.order_by("position"))
        entries = list(challenge.submissions.order_by("pk"))
        awards = []
        timed(
            "award_propose",
            zip(planned, entries, strict=True),
            lambda pair: awards.append(
                award_propose(
                    challenge_id=challenge.pk,
                    actor=owner,
                    submission_id=pair[1].pk,
                    planned_award_id=pair[0].pk,
                )
            ),
        )
        winners = {s.pk: s for s in solvers}
        timed(
            "set-up: accept, sign the deed, file a W-9",
            awards,
            lambda a: claim(a, winners[a.submission.author_id]),
        )
        if workers:
            workers.wait(workers.idle, "the set-up's e-mail tasks")
        paid, growth = release_all(challenge, winners, awards, workers)
        if workers:
            workers.wait(workers.idle, "the workers to finish")

        references = [a.reference for a in awards]
        print()
        certificate = render_certificates(references)
        minimal = render_minimal(args.awards)
        ratio = certificate[0] / minimal[0]
        print(
            f"  a certificate takes {certificate[0] * 1000:.1f} ms ({certificate[1] * 1000:.1f} ms "
            f"of CPU): (b) / (c) = {ratio:.2f} in time, "
            f"{certificate[1] / minimal[1]:.2f} in CPU"
        )

        from marketplace.awards.services.finalize import awards_finalize

        challenge = awards_finalize(challenge_id=challenge.pk, actor=owner)
        if workers:
            workers.wait(workers.idle, "the refund task")
        found = problems(challenge, args.awards)
        print_statement(challenge)
        for line in found:
            print(f"  PROBLEM {line}")
        print(f"\ntotal {time.monotonic() - began:.0f} s")
        if not workers or args.workers != GOAL_WORKERS:
            print(f"  awards goal missed: not {GOAL_WORKERS} workers on PostgreSQL")
        if growth > LINEAR_LIMIT:
            print(f"  awards goal missed: the last tenth's release is {growth:.2f}x the first's")
        met = paid < GOAL_SECONDS and growth <= LINEAR_LIMIT
        met = met and workers is not None and args.workers == GOAL_WORKERS
        print(f"GOAL awards-{args.awards} {paid:.1f} <{GOAL_SECONDS} {'met' if met else 'missed'}")
        print(f"GOAL certificate {ratio:.2f} <=1.5 {'met' if ratio <= 1.5 else 'missed'}")
        return 1 if found else 0
    finally:
        if workers:
            workers.stop()
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if srv:
            drop_database(srv, srv["bench"])
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
