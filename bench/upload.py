"""Upload benchmark: `.venv/bin/python bench/upload.py` from the repository root.

1. Prepares a throwaway SQLite database and media directory in a temporary directory,
   migrates it, and through the services creates an organisation, a challenge that is
   approved, funded (local gateway) and opened, and a solver who accepts its agreement;
   the solver gets an API token.
2. Serves the site with gunicorn (1 sync worker, 127.0.0.1, a free port, a long
   timeout). Uploads go to a temporary file in the same directory (TMPDIR), so the
   upload and the reference below write to the same disk.
3. Uploads a generated file (default 500 MB, a PDF signature then pseudo-random bytes)
   as a new submission through the API (POST /api/v1/challenges/{id}/submissions/,
   multipart), streamed by an http.client request from a generator with a computed
   Content-Length. It prints the throughput and the worker's peak resident memory
   (VmHWM from /proc/<worker pid>/status) after a warm-up request and after the upload,
   next to the file size, and checks the SHA-256 the server recorded.
4. As a reference in the same run, it writes the same bytes to a temporary file on the
   same disk (plainly, and hashing them with SHA-256 as the upload handler does; best
   of 3 each) and prints the ratios of the throughputs.

Options: --megabytes (default 500).
"""

import argparse
import hashlib
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import free_port, stop_gunicorn  # noqa: E402

MB = 1_000_000
CHUNK = 1024 * 1024
SIGNATURE = b"%PDF-1.7\n"


# --- set-up ------------------------------------------------------------------------------


def server_environment(tmp: Path, size: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "MEDIA_ROOT": str(tmp / "media"),
        "TMPDIR": str(tmp),
        "SUBMISSION_MAX_FILE_BYTES": str(size + MB),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def prepare(environment: dict[str, str]) -> tuple[int, str]:
    """Migrate, then create an open, funded challenge and a registered solver with an
    API token: (challenge id, token)."""
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from marketplace.accounts.models import User
    from marketplace.challenges.inputs import ChallengeInput, RequirementInput
    from marketplace.challenges.models import Challenge
    from marketplace.challenges.services import challenge_create
    from marketplace.escrow.services import challenge_fund
    from marketplace.lifecycle.services import challenge_transition
    from marketplace.organisations.services import organization_create
    from marketplace.participation.agreements import challenge_agreement
    from marketplace.participation.services import challenge_register

    call_command("migrate", verbosity=0, interactive=False)
    staff = User.objects.create_user("staff@bench.invalid", is_staff=True)
    owner = User.objects.create_user("owner@bench.invalid")
    solver = User.objects.create_user("solver@bench.invalid", full_name="Bench Solver")
    org = organization_create(name="Bench Uploads", owner=owner)
    now = timezone.now()
    challenge = challenge_create(
        organization_id=org.pk,
        actor=owner,
        data=ChallengeInput(
            title="Upload benchmark",
            summary="A challenge that receives one large file.",
            brief="## Brief\nSend a large file.",
            kind="rtp",
            prize_pool=1_000_000,
            currency="USD",
            ip_model="licence",
            submission_deadline=now + timedelta(days=30),
            judging_deadline=now + timedelta(days=60),
            requirements=[RequirementInput("Arrives intact", 100)],
            award_amounts=[1_000_000],
        ),
    )
    challenge_transition(challenge_id=challenge.pk, name="submit", actor=owner)
    challenge_transition(challenge_id=challenge.pk, name="approve", actor=staff)
    challenge_fund(challenge_id=challenge.pk, actor=owner)
    challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
    challenge = Challenge.objects.get(pk=challenge.pk)
    challenge_register(
        challenge_id=challenge.pk,
        user=solver,
        accepted_sha256=challenge_agreement(challenge).sha256,
    )
    return challenge.pk, Token.objects.create(user=solver).key


def start_gunicorn(
    environment: dict[str, str], port: int, token: str, warm_up: str
) -> subprocess.Popen:
    """Start the server and wait until `warm_up` answers 200 (which also loads the
    worker's code, so the memory read next is the worker's settled size)."""
    env = {**os.environ, **environment, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--timeout",
            "900",
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
        try:
            if get(port, warm_up, token)[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(proc)
    raise SystemExit("gunicorn did not answer within 30 s")


def get(port: int, path: str, token: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": f"Token {token}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def worker_pid(master: int) -> int:
    """The only child of the gunicorn master."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                return int(entry.name)
    raise SystemExit("no gunicorn worker found")


def memory_kib(pid: int) -> dict[str, int]:
    """VmHWM (peak resident set) and VmRSS of a process, in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values


# --- the bytes ---------------------------------------------------------------------------


def content(size: int):
    """`size` bytes in chunks: a PDF signature, then a random block varied per chunk
    (cheap to make, so the client's cost stays small next to the transfer)."""
    block = bytearray(os.urandom(CHUNK))
    block[: len(SIGNATURE)] = SIGNATURE
    sent, n = 0, 0
    while sent < size:
        chunk = bytes(block[: min(CHUNK, size - sent)])
        yield chunk
        sent += len(chunk)
        n += 1
        block[len(SIGNATURE) : len(SIGNATURE) + 8] = n.to_bytes(8, "little")


def upload(port: int, token: str, challenge_id: int, size: int) -> tuple[float, int, dict, str]:
    """(seconds, status, JSON answer, SHA-256 of what was sent)."""
    boundary = secrets.token_hex(16)
    fields = {"title": "Large dataset", "abstract": "One big file.", "body": "See the file."}
    head = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="dataset.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
    )
    tail = f"\r\n--{boundary}--\r\n".encode()
    digest = hashlib.sha256()

    def body():
        yield head
        for chunk in content(size):
            digest.update(chunk)
            yield chunk
        yield tail

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    started = time.perf_counter()
    try:
        conn.request(
            "POST",
            f"/api/v1/challenges/{challenge_id}/submissions/",
            body=body(),
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + size + len(tail)),
            },
        )
        response = conn.getresponse()
        answer = response.read()
    finally:
        conn.close()
    return time.perf_counter() - started, response.status, json.loads(answer), digest.hexdigest()


def write_reference(directory: Path, size: int, with_hash: bool, runs: int = 3) -> float:
    """Best of `runs`: seconds to write the same bytes to a temporary file in `directory`
    (into the page cache, no fsync: the upload does not fsync either), optionally
    hashing them with SHA-256 on the way as the upload handler does."""
    best = float("inf")
    for _ in range(runs):
        digest = hashlib.sha256()
        with tempfile.NamedTemporaryFile(dir=directory) as f:
            started = time.perf_counter()
            for chunk in content(size):
                if with_hash:
                    digest.update(chunk)
                f.write(chunk)
            f.flush()
            best = min(best, time.perf_counter() - started)
    return best


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=500, help="file size (default 500)")
    args = parser.parse_args()
    size = args.megabytes * MB

    tmp = Path(tempfile.mkdtemp(prefix="upload-bench-"))
    proc = None
    try:
        environment = server_environment(tmp, size)
        challenge_id, token = prepare(environment)
        from django.db import connections

        connections.close_all()
        port = free_port()
        proc = start_gunicorn(
            environment, port, token, f"/api/v1/challenges/{challenge_id}/submissions/"
        )
        worker = worker_pid(proc.pid)
        warm = memory_kib(worker)

        seconds, status, answer, sent_sha = upload(port, token, challenge_id, size)
        if status != 201:
            print(f"upload answered {status}: {answer}")
            return 1
        after = memory_kib(worker)
        [stored] = answer["files"]
        intact = stored["sha256"] == sent_sha and stored["size"] == size

        write_s = write_reference(tmp, size, with_hash=False)
        write_hash_s = write_reference(tmp, size, with_hash=True)

        print(
            f"Upload benchmark: gunicorn, 1 sync worker, 127.0.0.1; {os.cpu_count()} CPUs; "
            "SQLite, media and upload temporary files in one temporary directory"
        )
        print(f"\n  {'file':>10}  {'seconds':>8}  {'MB/s':>7}  {'worker peak RSS (VmHWM)':>24}")
        print(
            f"  {size / MB:>7,.0f} MB  {seconds:>8.2f}  {size / MB / seconds:>7.1f}  "
            f"{after['VmHWM'] / 1024:>20.1f} MiB"
        )
        print(
            f"\n  worker after a warm-up request: VmHWM {warm['VmHWM'] / 1024:.1f} MiB, "
            f"VmRSS {warm['VmRSS'] / 1024:.1f} MiB"
        )
        print(
            f"  worker after the upload:        VmHWM {after['VmHWM'] / 1024:.1f} MiB, "
            f"VmRSS {after['VmRSS'] / 1024:.1f} MiB "
            f"(peak grew by {(after['VmHWM'] - warm['VmHWM']) / 1024:.1f} MiB)"
        )
        print(f"  stored SHA-256 equals the one sent: {'yes' if intact else 'NO'}")
        print(
            "\n  reference: the same bytes written to a temporary file on the same disk (best of 3)"
        )
        print(
            f"    write only          {write_s:>6.2f} s  {size / MB / write_s:>7.1f} MB/s  "
            f"upload / write = {write_s / seconds:.2f}"
        )
        print(
            f"    write + SHA-256     {write_hash_s:>6.2f} s  {size / MB / write_hash_s:>7.1f} MB/s  "
            f"upload / (write + hash) = {write_hash_s / seconds:.2f}"
        )
        return 0 if intact else 1
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
