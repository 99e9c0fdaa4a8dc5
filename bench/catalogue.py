"""Catalogue benchmark: `make bench`, i.e. `.venv/bin/python bench/catalogue.py` from the
repository root.

1. Prepares a throwaway database: a SQLite file in a temporary directory, or, when
   `DATABASE_URL` is set, a PostgreSQL database named `<that database>_bench` on the same
   server, created from scratch and dropped at the end. It migrates it and seeds
   challenges in published states with requirements, awards and registrations.
2. Queries per request, in process (django.test.Client + CaptureQueriesContext), for the
   catalogue API (GET /api/v1/challenges/) and page (GET /challenges/) at the first, a
   middle and the last page, with 1,000 and then 10,000 challenges in the table, each
   with an empty cache. The figure must be the same in every cell; the script exits 1
   when it is not.
3. Requests per second under gunicorn (2 sync workers on 127.0.0.1, a free port) for the
   API and the page, each against `/bench/bare/` returning the same rows as plain JSON,
   measured in the same run and interleaved (rounds), so the printed ratio
   (catalogue / bare) means something on a noisy machine.

Options: --seconds (per target, default 10), --rounds (default 2), --concurrency (default
8), --rows (default 10000), --small (default 1000), --profile (also print where in-process
time goes, by package), --no-cache (a dummy cache: the catalogue keeps no count, rows or
page, so every request does all its work). Results are recorded in docs/performance.md.

Ends with one line per goal of the catalogue (API ÷ bare at least 0.8, page ÷ bare at
least 0.6): `GOAL catalogue-api <ratio> >=0.8 met|missed`, then the page's.
"""

import argparse
import cProfile
import http.client
import math
import os
import pstats
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

API = "/api/v1/challenges/"
PAGE = "/challenges/"
BARE = "/bench/bare/"
ORGANISATIONS = 60
SOLVERS = 400
MAX_REGISTRATIONS = 12
CURRENCIES = ("USD", "EUR", "GBP", "CHF", "JPY")
WORDS = (
    "biodegradable",
    "low-cost",
    "solar",
    "water",
    "sensor",
    "catalyst",
    "battery",
    "protein",
    "coating",
    "recycling",
    "algorithm",
    "membrane",
    "drone",
    "vaccine",
)


# --- database ----------------------------------------------------------------------------


def prepare_database() -> tuple[dict[str, str], Callable[[], None], str]:
    """Return (environment for bench.settings, cleanup function, description)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        tmp = tempfile.mkdtemp(prefix="catalogue-bench-")
        return (
            {"BENCH_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"},
            lambda: shutil.rmtree(tmp, ignore_errors=True),
            "SQLite file in a temporary directory",
        )

    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    name = f"{config['NAME']}_bench"
    params = {
        "dbname": config["NAME"],
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "host": config.get("HOST"),
        "port": config.get("PORT"),
    }
    params = {k: v for k, v in params.items() if v}

    def run(statement):
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    run(drop)
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return (
        {"BENCH_DATABASE_URL": url, "BENCH_DATABASE_NAME": name},
        lambda: run(drop),
        f"PostgreSQL database {name!r} on the DATABASE_URL server (dropped at the end)",
    )


def setup_django(database_env: dict[str, str]) -> None:
    os.environ.update(database_env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- seed --------------------------------------------------------------------------------


def seed_people():
    from django.contrib.auth.hashers import make_password

    from marketplace.accounts.models import User
    from marketplace.organisations.models import Membership, Organization
    from marketplace.organisations.roles import OrgRole

    unusable = make_password(None)
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Bench Research {i:03d}", description="Seeded by the benchmark.")
        for i in range(ORGANISATIONS)
    )
    owners = User.objects.bulk_create(
        User(email=f"owner{i}@bench.invalid", full_name=f"Owner {i}", password=unusable)
        for i in range(ORGANISATIONS)
    )
    Membership.objects.bulk_create(
        Membership(organization=o, user=u, role=OrgRole.OWNER)
        for o, u in zip(orgs, owners, strict=True)
    )
    solvers = User.objects.bulk_create(
        User(email=f"solver{i}@bench.invalid", full_name=f"Solver {i}", password=unusable)
        for i in range(SOLVERS)
    )
    return list(zip(orgs, owners, strict=True)), solvers


def _split(total: int, parts: int) -> list[int]:
    base = total // parts
    return [base] * (parts - 1) + [total - base * (parts - 1)]


def seed_challenges(start: int, stop: int, people, solvers, rng: random.Random) -> None:
    """Challenges number start..stop-1: 6 in 7 open (deadline ahead), the rest spread over
    the other published states; 1-4 requirements, 1-3 awards, 0-12 registrations each."""
    from django.db import connection, transaction
    from django.utils import timezone

    from marketplace.challenges.models import (
        Challenge,
        ChallengeKind,
        ChallengeState,
        IPModel,
        PlannedAward,
        Requirement,
    )
    from marketplace.participation.models import Registration

    S = ChallengeState
    later = [S.CLOSED, S.JUDGING, S.AWARDING, S.COMPLETED, S.NO_AWARD]
    kinds, ip_models = list(ChallengeKind.values), list(IPModel.values)
    now = timezone.now()
    challenges = []
    for i in range(start, stop):
        org, owner = people[i % len(people)]
        is_open = i % 7 != 3
        if is_open:
            deadline = now + timedelta(days=1 + i % 180, minutes=i)
        else:
            deadline = now - timedelta(days=1 + i % 90)
        words = rng.sample(WORDS, 3)
        challenges.append(
            Challenge(
                organization=org,
                created_by=owner,
                title=f"{words[0].capitalize()} {words[1]} {words[2]} challenge {i}",
                summary=f"Challenge {i}: propose a {words[0]} approach to {words[1]} {words[2]}. "
                * 3,
                brief=f"## Background\n\n{'We need a **better** ' + words[1] + '. ' * 40}",
                kind=kinds[i % len(kinds)],
                ip_model=ip_models[i % len(ip_models)],
                prize_pool=rng.randrange(10, 500) * 100_000,
                currency=CURRENCIES[i % len(CURRENCIES)],
                submission_deadline=deadline,
                judging_deadline=deadline + timedelta(days=30),
                eligibility="Open to everyone.",
                hide_seeker=i % 11 == 0,
                state=S.OPEN if is_open else later[(i // 7) % len(later)],
                published_at=now - timedelta(days=i % 60),
            )
        )
    with transaction.atomic():
        challenges = Challenge.objects.bulk_create(challenges, batch_size=2000)
        requirements, awards, registrations = [], [], []
        for n, c in enumerate(challenges):
            for pos, weight in enumerate(_split(100, 1 + n % 4), start=1):
                requirements.append(
                    Requirement(
                        challenge=c, position=pos, weight=weight, title=f"Requirement {pos}"
                    )
                )
            for pos, amount in enumerate(_split(c.prize_pool, 1 + n % 3), start=1):
                awards.append(PlannedAward(challenge=c, position=pos, amount=amount))
            for user in rng.sample(solvers, rng.randrange(MAX_REGISTRATIONS + 1)):
                registrations.append(Registration(challenge=c, user=user))
        Requirement.objects.bulk_create(requirements, batch_size=5000)
        PlannedAward.objects.bulk_create(awards, batch_size=5000)
        Registration.objects.bulk_create(registrations, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a settled database has them


# --- queries per request -----------------------------------------------------------------


def page_sizes() -> dict[str, int]:
    from django.conf import settings

    return {
        API: settings.REST_FRAMEWORK["PAGE_SIZE"],
        PAGE: settings.MARKETPLACE["CATALOGUE_PAGE_SIZE"],
    }


def page_ids(path: str, response) -> list[int]:
    """The challenge ids a response lists, in order."""
    if path == PAGE:
        found = re.findall(r'href="[^"]*/challenges/(\d+)/"', response.content.decode())
        return list(dict.fromkeys(int(x) for x in found))
    return [row["id"] for row in response.json()["results"]]


def sql_ms(ctx) -> float:
    return sum(float(q["time"]) for q in ctx.captured_queries) * 1000


def count_queries(client, table_size: int) -> list[tuple]:
    """(table size, target, page, rows listed, queries, ms in SQL) at the first, middle and
    last page of each target, each with an empty cache: the most a request runs (the
    catalogue keeps counts, rows and the page's content in the cache)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.challenges.selectors import CatalogueQuery, catalogue

    listed = catalogue(CatalogueQuery()).count()
    sizes = page_sizes()
    out = []
    for path, size in sizes.items():
        last = math.ceil(listed / size)
        client.get(path)  # first request of a process loads one-off state
        for page in sorted({1, last // 2, last}):
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, {"page": page})
            if response.status_code != 200:
                raise SystemExit(f"GET {path}?page={page} answered {response.status_code}")
            rows = len(page_ids(path, response))
            out.append((table_size, path, page, rows, len(ctx), sql_ms(ctx)))
    with CaptureQueriesContext(connection) as ctx:
        client.get(BARE, {"size": sizes[API]})
    out.append((table_size, BARE, 1, sizes[API], len(ctx), sql_ms(ctx)))
    return out


def same_rows(client) -> dict[str, bool]:
    """Does each catalogue target list exactly the bare view's rows on its first page?"""
    sizes = page_sizes()
    result = {}
    for path, size in sizes.items():
        bare = [row["id"] for row in client.get(BARE, {"size": size}).json()["results"]]
        result[path] = page_ids(path, client.get(path)) == bare
    return result


def profile(client, requests: int = 30) -> None:
    """Where in-process time goes for each target, summed by package (own time)."""
    targets = {API: {}, PAGE: {}, BARE: {"size": page_sizes()[PAGE]}}
    for path, params in targets.items():
        client.get(path, params)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(requests):
            client.get(path, params)
        profiler.disable()
        per_request = (time.perf_counter() - started) / requests * 1000
        buckets: dict[str, float] = {}
        for (filename, _line, func), (_cc, _nc, own, *_) in pstats.Stats(profiler).stats.items():
            name = _bucket(filename, func)
            buckets[name] = buckets.get(name, 0) + own
        total = sum(buckets.values())
        print(
            f"\n  {path}: {per_request:.1f} ms per request in process (profiled); "
            "own time by package:"
        )
        for name, own in sorted(buckets.items(), key=lambda kv: -kv[1])[:10]:
            print(f"    {own / total:6.1%}  {name}")


def _bucket(filename: str, func: str) -> str:
    if filename == "~":
        driver = any(word in func for word in ("sqlite3", "psycopg", "Cursor"))
        return "C: database driver (running SQL)" if driver else "C: builtins"
    parts = Path(filename).parts
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1 :]
        return "/".join(rest[:2]) if len(rest) > 2 else rest[0]
    if filename.startswith(str(ROOT)):
        return "project: " + "/".join(Path(filename).relative_to(ROOT).parts[:2])
    return "stdlib: " + Path(filename).stem


# --- requests per second -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--chdir",
            str(ROOT),
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", f"{BARE}?size=1")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    stop_gunicorn(proc)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def load(
    port: int, path: str, seconds: float, concurrency: int
) -> tuple[int, int, float, list[float]]:
    """GET `path` from `concurrency` threads for `seconds`: (ok, errors, elapsed, latencies).
    Each thread keeps its connection open when the server allows it (gunicorn's sync
    workers do not: http.client then reconnects); every socket has a timeout and every
    thread stops at the deadline."""
    end = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed = [], 0
        while (t0 := time.monotonic()) < end:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    mine.append(time.monotonic() - t0)
                else:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 20)
    return len(latencies), errors[0], time.monotonic() - started, latencies


def throughput(
    port: int, targets: dict[str, str], seconds: float, rounds: int, concurrency: int
) -> dict[str, dict]:
    """Interleave the targets round by round; sum each target's requests and time."""
    totals = {name: {"ok": 0, "errors": 0, "elapsed": 0.0, "latencies": []} for name in targets}
    for path in targets.values():
        load(port, path, 1, concurrency)  # warm both workers
    for _ in range(rounds):
        for name, path in targets.items():
            ok, errors, elapsed, latencies = load(port, path, seconds / rounds, concurrency)
            t = totals[name]
            t["ok"] += ok
            t["errors"] += errors
            t["elapsed"] += elapsed
            t["latencies"] += latencies
    for t in totals.values():
        lat = sorted(t["latencies"]) or [0.0]
        t["rps"] = t["ok"] / t["elapsed"]
        t["p50"] = lat[len(lat) // 2] * 1000
        t["p95"] = lat[int(len(lat) * 0.95)] * 1000
    return totals


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="load per target (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--rows", type=int, default=10_000, help="challenges (default 10000)")
    parser.add_argument("--small", type=int, default=1_000, help="first table size (default 1000)")
    parser.add_argument("--profile", action="store_true", help="print where in-process time goes")
    parser.add_argument(
        "--no-cache", action="store_true", help="a dummy cache: every request does all its work"
    )
    args = parser.parse_args()
    if args.no_cache:
        os.environ["BENCH_NO_CACHE"] = "1"  # read by bench.settings, here and in gunicorn

    began = time.monotonic()
    database_env, cleanup, described = prepare_database()
    proc = None
    try:
        setup_django(database_env)
        from django.db import connections
        from django.test import Client

        from marketplace.participation.models import Registration

        cached = "no cache (dummy)" if args.no_cache else "the configured cache"
        print(f"Catalogue benchmark: {described}, {cached}, {os.cpu_count()} CPUs")
        rng = random.Random(2026)
        people, solvers = seed_people()
        client = Client()
        query_rows = []
        seeded = 0
        for size in (args.small, args.rows):
            t0 = time.monotonic()
            seed_challenges(seeded, size, people, solvers, rng)
            seeded = size
            print(
                f"seeded {size:,} challenges, {Registration.objects.count():,} registrations "
                f"({time.monotonic() - t0:.1f} s)"
            )
            query_rows += count_queries(client, size)

        print("\nQueries per request (in process)")
        print(
            f"  {'challenges':>10}  {'target':<22} {'page':>5} {'rows':>5} {'queries':>8} "
            f"{'SQL ms':>7}"
        )
        for table, path, page, rows, queries, ms in query_rows:
            print(
                f"  {table:>10,}  {'GET ' + path:<22} {page:>5} {rows:>5} {queries:>8} {ms:>7.1f}"
            )
        constant = {
            path: len({row[4] for row in query_rows if row[1] == path}) == 1 for path in (API, PAGE)
        }
        for path, ok in constant.items():
            verdict = "constant" if ok else "NOT CONSTANT: grows with page or table size"
            print(f"  {path}: {verdict}")
        matches = same_rows(client)
        for path, ok in matches.items():
            print(f"  {path} page 1 lists the bare view's rows: {'yes' if ok else 'NO'}")
        if args.profile:
            profile(client)
        connections.close_all()

        port = free_port()
        proc = start_gunicorn(port)
        api_rows, page_rows = page_sizes()[API], page_sizes()[PAGE]
        targets = {
            "api": API,
            f"bare ({api_rows} rows)": f"{BARE}?size={api_rows}",
            "page": PAGE,
            f"bare ({page_rows} rows)": f"{BARE}?size={page_rows}",
        }
        results = throughput(port, targets, args.seconds, args.rounds, args.concurrency)
        print(
            f"\nRequests per second: gunicorn, 2 sync workers, {args.concurrency} client "
            f"threads, {args.seconds:g} s per target in {args.rounds} interleaved rounds"
        )
        print(f"  {'target':<34} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}")
        for name, path in targets.items():
            r = results[name]
            print(
                f"  {name + ' ' + path:<34} {r['rps']:>8.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
                f"{r['errors']:>7}"
            )
        api_ratio = results["api"]["rps"] / results[f"bare ({api_rows} rows)"]["rps"]
        page_ratio = results["page"]["rps"] / results[f"bare ({page_rows} rows)"]["rps"]
        print(f"  ratio API / bare:  {api_ratio:.2f}")
        print(f"  ratio page / bare: {page_ratio:.2f}")
        print(f"\ntotal {time.monotonic() - began:.0f} s")
        for name, ratio, goal in (("api", api_ratio, 0.8), ("page", page_ratio, 0.6)):
            verdict = "met" if ratio >= goal else "missed"
            print(f"GOAL catalogue-{name} {ratio:.2f} >={goal} {verdict}")
        return 0 if all(constant.values()) else 1
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
