"""Running the same work in many threads at once, each with its own database
connection, to prove what row locks and constraints do on PostgreSQL."""

import threading

from django.db import connection


def in_threads(count: int, work) -> list:
    """Run `work(i)` in `count` threads released together; return each result or the
    exception it raised. Every thread has its own connection and closes it."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results
