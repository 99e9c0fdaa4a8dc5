"""Stripe without the internet: localstripe (a fake Stripe API) on loopback for the
whole session, settings that point the stripe gateway at it, webhooks signed with the
stripe library's own helper, and a flaky proxy for time-outs and server errors."""

import copy
import http.client
import importlib.util
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import stripe
from django.urls import reverse

from tests.conftest import skip_unless

RECORDED = Path(__file__).parent / "recorded"
SECRET_KEY = "sk_test_localstripe"
WEBHOOK_SECRET = "whsec_test_localstripe"
GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"  # attaches, then is declined when charged

# localstripe's own CLI listens on every interface and pickles its store to a fixed
# file in /tmp; this starts the same aiohttp app on loopback with the store in memory.
LAUNCH = """
import sys
from aiohttp import web
from localstripe import resources, server
resources.Store.dump_to_disk = lambda self: None
web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(method: str, url: str) -> int:
    with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=2) as r:
        return r.status


@pytest.fixture(scope="session")
def localstripe_url():
    skip_unless(
        importlib.util.find_spec("localstripe") is not None,
        "localstripe not installed",
        service="localstripe",
    )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _call("GET", f"{url}/js.stripe.com/v3/")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("localstripe did not start")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def stripe_api(settings, localstripe_url):
    """The stripe gateway configured against an emptied localstripe. Returns a client
    for what happens outside our server: the payer's browser, Stripe's own records."""
    _call("DELETE", f"{localstripe_url}/_config/data")
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 2
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe_url})


@pytest.fixture
def card(stripe_api):
    """card(number) -> the id of a new card PaymentMethod at localstripe."""

    def make(number: str = GOOD_CARD) -> str:
        details = {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"}
        return stripe_api.v1.payment_methods.create({"type": "card", "card": details}).id

    return make


@pytest.fixture
def stripe_event(stripe_api):
    """stripe_event(type, object_id) -> the event localstripe emitted, as Stripe sends it."""

    def find(event_type: str, object_id: str) -> dict:
        events = stripe_api.v1.events.list({"type": event_type}).data
        matching = [e.to_dict() for e in events if e.data.object.id == object_id]
        assert len(matching) == 1, f"{len(matching)} {event_type} events for {object_id}"
        return matching[0]

    return find


def signature_header(body: str, secret: str = WEBHOOK_SECRET, timestamp: int = 0) -> str:
    """A `Stripe-Signature` header as Stripe makes it, with the library's own signer."""
    timestamp = timestamp or int(time.time())
    signed = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", secret)
    return f"t={timestamp},v1={signed}"


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """deliver(event) posts it to the webhook, signed, and runs what it queues."""

    def post(event: dict | str, signature: str | None = None):
        body = event if isinstance(event, str) else json.dumps(event)
        headers = {"HTTP_STRIPE_SIGNATURE": signature or signature_header(body)}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("stripe_webhook"), body, content_type="application/json", **headers
            )

    return post


def refund_event(refund, status: str = "succeeded", event_id: str = "evt_refund_1") -> dict:
    """Stripe's recorded refund.updated event (localstripe sends none), about `refund`."""
    event = copy.deepcopy(recorded("refund_updated_event.json"))
    event["id"] = event_id
    obj = event["data"]["object"]
    obj.update(
        id=refund.provider_id or obj["id"],
        amount=refund.amount,
        currency=refund.payment.currency.lower(),
        payment_intent=refund.payment.provider_id,
        metadata={"refund": str(refund.pk)},
        status=status,
    )
    if status == "failed":
        obj["failure_reason"] = "expired_or_canceled_card"
    return event


class FlakyStripe:
    """A loopback proxy in front of localstripe. Each request takes the next planned
    fault, if any:

      "reset"  close the connection without forwarding (a connection error)
      "hang"   say nothing for longer than the client waits, forward nothing (time-out)
      "500"    answer Stripe's recorded 500 error, forward nothing
      "lost"   forward, then close without answering (done at Stripe, answer lost)

    Like Stripe (localstripe has no idempotency), a POST whose Idempotency-Key was
    already answered gets the first answer again instead of being done twice.
    `seen` lists (method, path, Idempotency-Key) of every request in order."""

    def __init__(self, upstream: str, hang_seconds: float):
        self.upstream = upstream.removeprefix("http://")
        self.hang_seconds = hang_seconds
        self.faults: list[str] = []
        self.seen: list[tuple[str, str, str | None]] = []
        self.answers: dict[str, tuple[int, bytes]] = {}
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.handle(self)

            do_POST = do_DELETE = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request):
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        key = request.headers.get("Idempotency-Key")
        with self.lock:
            self.seen.append((request.command, request.path, key))
            fault = self.faults.pop(0) if self.faults else None
            replay = self.answers.get(key) if request.command == "POST" and key else None
        request.close_connection = True
        if fault == "reset":
            return
        if fault == "hang":
            time.sleep(self.hang_seconds)
            return
        if fault == "500":
            self.answer(request, 500, json.dumps(recorded("api_error_500.json")).encode())
            return
        status, payload = replay or self.forward(request, body)
        if request.command == "POST" and key and status < 500:
            with self.lock:
                self.answers.setdefault(key, (status, payload))
        if fault != "lost":
            self.answer(request, status, payload)

    def forward(self, request, body: bytes) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(self.upstream, timeout=10)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        conn.request(request.command, request.path, body=body, headers=headers)
        response = conn.getresponse()
        status, payload = response.status, response.read()
        conn.close()
        return status, payload

    @staticmethod
    def answer(request, status: int, payload: bytes):
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    def keys(self, method: str, path: str) -> list[str | None]:
        return [k for m, p, k in self.seen if (m, p) == (method, path)]


@pytest.fixture
def flaky_stripe(settings, stripe_api, localstripe_url, monkeypatch):
    """The stripe gateway talks to localstripe through a FlakyStripe that waits 1.5 s
    on "hang" while the gateway gives up after 1 s."""
    monkeypatch.setattr("payouts.gateways.stripe.TIMEOUT_SECONDS", 1)
    proxy = FlakyStripe(localstripe_url, hang_seconds=1.5)
    settings.STRIPE_API_BASE = proxy.url
    yield proxy
    proxy.stop()
