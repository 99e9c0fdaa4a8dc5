"""Open-ideation benchmark: `make bench`, i.e. `.venv/bin/python bench/ideas.py` from the
repository root.

1. Prepares a throwaway database as `bench/catalogue.py` does (a SQLite file, or with
   `DATABASE_URL` a PostgreSQL database `<that database>_bench`, dropped at the end) and
   seeds one open-ideation challenge with 1,000 ideas and 200,000 supports spread over
   the last 14 days (each idea's count kept on its row, as the service keeps it).
2. Queries per request of the idea list (GET /api/v1/ideas/?challenge=..., sorted by
   support and by trending) at its first and last page: the figure must not change
   with the page, nor after more supports are added; the script exits 1 when it does.
3. Supports per second from 8 client threads, each with its own connection: the
   service (`idea_support`: checks, the row, the counter's F() update, the threshold's
   conditional update, one transaction) against a bare INSERT of the same row into the
   same table, interleaved in rounds in the same run; the ratio is service / bare.
4. Requests per second under gunicorn (2 sync workers) of the idea list, by support and
   by trending, against `/bench/bare/` (the bare catalogue view of `bench/urls.py`),
   interleaved in rounds; the ratios are list / bare.

Options: --ideas (default 1000), --supports (default 200000), --seconds (per target,
default 10), --rounds (default 2), --concurrency (default 8). Results are recorded in
docs/performance.md.
"""

import argparse
import os
import random
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import (  # noqa: E402
    free_port,
    prepare_database,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
    throughput,
)

BARE = "/bench/bare/?size=20"
BATCH = 20_000


def seed(ideas: int, supports: int, rng: random.Random) -> tuple:
    """The challenge, its ideas (Submission + Idea rows) and the supports; returns
    (challenge, idea ids, the supporters seeded)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from marketplace.accounts.models import User
    from marketplace.challenges.models import Challenge, ChallengeState
    from marketplace.ideation.models import Idea, Support
    from marketplace.organisations.models import Membership, Organization
    from marketplace.organisations.roles import OrgRole
    from marketplace.submissions.models import Submission

    now = timezone.now()
    unusable = make_password(None)
    org = Organization.objects.create(name="Bench Ideas Lab")
    owner = User.objects.create(email="owner@bench.invalid", full_name="Owner", password=unusable)
    Membership.objects.create(organization=org, user=owner, role=OrgRole.OWNER)
    challenge = Challenge.objects.create(
        organization=org,
        created_by=owner,
        title="Ideas for refillable packaging",
        summary="Bench.",
        brief="Bench.",
        kind="ideation",
        prize_pool=1_000_000,
        currency="EUR",
        ip_model="licence",
        submission_deadline=now + timedelta(days=30),
        judging_deadline=now + timedelta(days=60),
        state=ChallengeState.OPEN,
        published_at=now,
        open_ideation=True,
    )
    per_idea = max(1, supports // ideas)
    authors = User.objects.bulk_create(
        User(email=f"author{i}@bench.invalid", full_name=f"Author {i}", password=unusable)
        for i in range(max(1, ideas // 5))
    )
    supporters = User.objects.bulk_create(
        (
            User(email=f"fan{i}@bench.invalid", full_name=f"Fan {i}", password=unusable)
            for i in range(per_idea * 2 + supports % max(1, ideas))
        ),
        batch_size=5000,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in supporters),
        batch_size=5000,
    )
    with transaction.atomic():
        rows = Submission.objects.bulk_create(
            (
                Submission(
                    challenge=challenge,
                    author=authors[i % len(authors)],
                    title=f"Idea {i}",
                    abstract=f"Idea {i}: refill at the till. " * 4,
                    body="## Idea\n\nBench.",
                    sha256="0" * 64,
                )
                for i in range(ideas)
            ),
            batch_size=5000,
        )
        Idea.objects.bulk_create((Idea(submission=s) for s in rows), batch_size=5000)
    ids = [s.pk for s in rows]
    # Some ideas popular, most not: mean `per_idea`, moved in pairs so the sum is exact.
    counts = [per_idea] * len(ids)
    counts[-1] += supports - per_idea * len(ids)
    for i in range(0, len(ids) - 1, 2):
        shift = rng.randint(0, per_idea // 2)
        counts[i], counts[i + 1] = counts[i] + shift, counts[i + 1] - shift
    batch = []
    for idea_id, count in zip(ids, counts, strict=True):
        for user in rng.sample(supporters, min(count, len(supporters))):
            batch.append(
                Support(
                    submission_id=idea_id,
                    user=user,
                    created_at=now - timedelta(minutes=rng.randrange(14 * 24 * 60)),
                )
            )
        if len(batch) >= BATCH:
            Support.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Support.objects.bulk_create(batch, batch_size=5000)
    counts = dict(
        Support.objects.values_list("submission")
        .annotate(n=Count("pk"))
        .values_list("submission", "n")
    )
    with transaction.atomic():
        for idea_id, n in counts.items():
            Idea.objects.filter(pk=idea_id).update(supports=n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return challenge, ids, supporters


def list_paths(challenge) -> dict[str, str]:
    base = f"/api/v1/ideas/?challenge={challenge.pk}"
    return {"list by support": f"{base}&sort=support", "list by trending": f"{base}&sort=trending"}


def count_queries(client, challenge, ideas: int) -> list[tuple]:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    last = -(-ideas // settings.REST_FRAMEWORK["PAGE_SIZE"])
    out = []
    for name, path in list_paths(challenge).items():
        client.get(path)
        for page in sorted({1, last}):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(f"{path}&page={page}")
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}")
            out.append((name, page, len(response.json()["results"]), len(ctx)))
    return out


def fresh_users(count: int, prefix: str):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from marketplace.accounts.models import User

    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"{prefix}{i}@bench.invalid", full_name=f"{prefix} {i}", password=unusable)
        for i in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    return users


def timed(work, seconds: float, clients: int, users_of) -> tuple[int, float, int]:
    """Run `work(user, idea_id)` from `clients` threads for `seconds`, each thread on its
    own users (so every pair is new): (done, elapsed, errors)."""
    from django.db import connection

    end = time.monotonic() + seconds
    done, errors = [0] * clients, [0] * clients

    def client(i):
        try:
            for user, idea_id in users_of(i):
                if time.monotonic() >= end:
                    return
                try:
                    work(user, idea_id)
                    done[i] += 1
                except Exception:
                    errors[i] += 1
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done), time.monotonic() - started, sum(errors)


def supports_per_second(ids, seconds: float, rounds: int, clients: int) -> dict:
    """The service against a bare INSERT of the same row, interleaved."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from marketplace.ideation.models import Support
    from marketplace.ideation.services import idea_support

    settings.IDEA_SUPPORTS_PER_HOUR_ACCOUNT = 10**9
    settings.IDEA_SUPPORTS_PER_HOUR_IP = 10**9
    table = Support._meta.db_table
    per_client = 40
    pools = {
        "service": fresh_users(clients * per_client * rounds, "svc"),
        "bare": fresh_users(clients * per_client * rounds, "bare"),
    }

    def service(user, idea_id):
        idea_support(submission_id=idea_id, user=user)

    def bare(user, idea_id):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (submission_id, user_id, created_at) VALUES (%s, %s, %s)",
                [idea_id, user.pk, timezone.now()],
            )

    works = {"service": service, "bare": bare}
    totals = {name: {"done": 0, "elapsed": 0.0, "errors": 0} for name in works}
    for r in range(rounds):
        for name, work in works.items():
            pool = pools[name]

            def users_of(i, pool=pool, r=r):
                start = (r * clients + i) * per_client
                for user in pool[start : start + per_client]:
                    for idea_id in ids:
                        yield user, idea_id

            done, elapsed, errors = timed(work, seconds / rounds, clients, users_of)
            t = totals[name]
            t["done"] += done
            t["elapsed"] += elapsed
            t["errors"] += errors
    for t in totals.values():
        t["rate"] = t["done"] / t["elapsed"]
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=1_000, help="ideas (default 1000)")
    parser.add_argument("--supports", type=int, default=200_000, help="supports (default 200000)")
    parser.add_argument("--seconds", type=float, default=10, help="load per target (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    args = parser.parse_args()

    began = time.monotonic()
    database_env, cleanup, described = prepare_database()
    proc = None
    try:
        setup_django(database_env)
        from django.db import connections
        from django.test import Client

        from marketplace.ideation.models import Support

        print(f"Ideas benchmark: {described}, {os.cpu_count()} CPUs")
        t0 = time.monotonic()
        challenge, ids, _supporters = seed(args.ideas, args.supports, random.Random(2026))
        print(
            f"seeded {len(ids):,} ideas, {Support.objects.count():,} supports "
            f"({time.monotonic() - t0:.1f} s)"
        )
        client = Client()
        before = count_queries(client, challenge, len(ids))

        results = supports_per_second(ids, args.seconds, args.rounds, args.concurrency)
        print(
            f"\nSupports per second: {args.concurrency} client threads in process, each its "
            f"own connection, {args.seconds:g} s per target in {args.rounds} interleaved rounds"
        )
        for name, r in results.items():
            print(
                f"  {name:<8} {r['rate']:>9.1f}/s  ({r['done']:,} in {r['elapsed']:.1f} s, "
                f"{r['errors']} errors)"
            )
        ratio = results["service"]["rate"] / results["bare"]["rate"]
        print(f"  ratio service / bare INSERT: {ratio:.2f}")

        after = count_queries(client, challenge, len(ids))
        print(f"\nQueries per request (in process), {Support.objects.count():,} supports after")
        print(f"  {'target':<18} {'page':>5} {'rows':>5} {'before':>7} {'after':>7}")
        for (name, page, rows, q1), (_n, _p, _r, q2) in zip(before, after, strict=True):
            print(f"  {name:<18} {page:>5} {rows:>5} {q1:>7} {q2:>7}")
        constant = len({row[3] for row in before + after}) == 1
        print(f"  {'constant' if constant else 'NOT CONSTANT: grows with ideas or supporters'}")
        connections.close_all()

        port = free_port()
        proc = start_gunicorn(port)
        targets = {**list_paths(challenge), "bare catalogue": BARE}
        rps = throughput(port, targets, args.seconds, args.rounds, args.concurrency)
        print(
            f"\nRequests per second: gunicorn, 2 sync workers, {args.concurrency} client "
            f"threads, {args.seconds:g} s per target in {args.rounds} interleaved rounds"
        )
        print(f"  {'target':<18} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}")
        for name in targets:
            r = rps[name]
            print(
                f"  {name:<18} {r['rps']:>8.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['errors']:>7}"
            )
        for name in list_paths(challenge):
            print(
                f"  ratio {name} / bare catalogue: {rps[name]['rps'] / rps['bare catalogue']['rps']:.2f}"
            )
        print(f"\ntotal {time.monotonic() - began:.0f} s")
        return 0 if constant else 1
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
