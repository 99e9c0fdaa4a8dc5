"""Stripe without the internet: localstripe and its settings (`tests/stripe_fakes.py`),
webhooks signed with the stripe library's own helper, and a flaky proxy for time-outs
and server errors."""

import copy
import http.client
import json
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import stripe
from django.db import transaction
from django.urls import reverse

from marketplace.challenges.models import ChallengeState
from marketplace.core.references import subject_of
from marketplace.lifecycle.services import challenge_transition
from payouts.services.payouts import award_release_post
from tests.factories import ChallengeFactory
from tests.stripe_fakes import DECLINED_CARD as DECLINED_CARD
from tests.stripe_fakes import GOOD_CARD as GOOD_CARD
from tests.stripe_fakes import SECRET_KEY, WEBHOOK_SECRET
from tests.stripe_fakes import card as card  # a fixture
from tests.stripe_fakes import localstripe_url as localstripe_url  # a fixture
from tests.stripe_fakes import stripe_api as stripe_api  # a fixture
from tests.stripe_fakes import stripe_event as stripe_event  # a fixture

RECORDED = Path(__file__).parent / "recorded"


def pytest_collection_modifyitems(items):
    """Every test of this directory is one of the ledger's own tests."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.ledger_only)


@pytest.fixture(autouse=True)
def _without_award_rules(settings):
    """The ledger's own tests release and pay made-up awards ("award:1" with no award
    behind it), so their audits leave out the core's award rules and no award hears of
    their payouts."""
    settings.LEDGER_AUDIT_EXTRA_CHECKS = []
    settings.PAYOUT_CONFIRMED_HOOKS = []


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())


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


# Stripe's answer to an Idempotency-Key reused with other parameters (its documented
# error type and message).
IDEMPOTENCY_ERROR = {
    "error": {
        "type": "idempotency_error",
        "message": (
            "Keys for idempotent requests can only be used with the same parameters they "
            "were first used with. Try using a key other than 'pay:k1' if you meant to "
            "execute a different request."
        ),
    }
}


class FlakyStripe:
    """A loopback proxy in front of localstripe. Each request takes the next planned
    fault, if any:

      "reset"  close the connection without forwarding (a connection error)
      "hang"   say nothing for longer than the client waits, forward nothing (time-out)
      "500"    answer Stripe's recorded 500 error, forward nothing
      "lost"   forward, then close without answering (done at Stripe, answer lost)
      "idempotency"  answer Stripe's 400 for a key reused with other parameters

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
        if fault == "idempotency":
            self.answer(request, 400, json.dumps(IDEMPOTENCY_ERROR).encode())
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


# --- Stripe Connect transfers (payouts) -------------------------------------------------

CONNECTED = "acct_1SPjz4QaK7bN2xTm"  # a connected account that exists at the fake Stripe
TRANSFERS = "/v1/transfers"


class StripeIdempotency(dict):
    """Stripe keeps the answer to an Idempotency-Key, except a refusal of the request's
    parameters (400), which is not saved: the same key may be sent again, fixed."""

    def setdefault(self, key, value):
        return value if value[0] == 400 else super().setdefault(key, value)


class StripeTransfers(FlakyStripe):
    """A FlakyStripe that is itself Stripe's Transfers API (localstripe has none): a POST
    to /v1/transfers makes a transfer from the recorded one, filled in from the request,
    or refuses a destination that is not in `accounts` with Stripe's recorded error; GET
    /v1/transfers/<id> returns one. `made` holds the transfers by id; `requests` the form
    fields and Idempotency-Key of every POST that reached Stripe."""

    def __init__(self, hang_seconds: float, accounts: set[str]):
        super().__init__("http://127.0.0.1:9", hang_seconds)
        self.answers = StripeIdempotency()
        self.accounts = accounts
        self.made: dict[str, dict] = {}
        self.requests: list[tuple[dict, str | None]] = []

    def forward(self, request, body: bytes) -> tuple[int, bytes]:
        path = request.path.split("?")[0]
        if request.command == "POST" and path == TRANSFERS:
            form = dict(urllib.parse.parse_qsl(body.decode()))
            return self.create(form, request.headers.get("Idempotency-Key"))
        found = self.made.get(path.removeprefix(f"{TRANSFERS}/"))
        if request.command == "GET" and found:
            return 200, json.dumps(found).encode()
        error = recorded("transfer_error_no_such_transfer.json")
        error["error"]["message"] = f"No such transfer: '{path.rsplit('/', 1)[-1]}'"
        return 404, json.dumps(error).encode()

    def create(self, form: dict, key: str | None) -> tuple[int, bytes]:
        with self.lock:
            self.requests.append((form, key))
            if form.get("destination") not in self.accounts:
                error = recorded("transfer_error_no_destination.json")
                error["error"]["message"] = f"No such destination: '{form.get('destination')}'"
                return 400, json.dumps(error).encode()
            transfer = recorded("transfer.json")
            transfer_id = f"tr_test{len(self.made) + 1:06d}"
            transfer.update(
                id=transfer_id,
                amount=int(form["amount"]),
                currency=form["currency"],
                destination=form["destination"],
                transfer_group=form.get("transfer_group"),
                created=int(time.time()),
                metadata={
                    name.removeprefix("metadata[").removesuffix("]"): value
                    for name, value in form.items()
                    if name.startswith("metadata[")
                },
            )
            transfer["reversals"]["url"] = f"{TRANSFERS}/{transfer_id}/reversals"
            self.made[transfer_id] = transfer
        return 200, json.dumps(transfer).encode()

    def reverse(self, transfer_id: str) -> dict:
        """Take a transfer back whole, as the dashboard does; return it."""
        transfer = self.made[transfer_id]
        reversal = recorded("transfer_reversed_event.json")["data"]["object"]["reversals"]
        reversal["data"][0].update(
            amount=transfer["amount"], currency=transfer["currency"], transfer=transfer_id
        )
        reversal["url"] = transfer["reversals"]["url"]
        transfer.update(reversed=True, amount_reversed=transfer["amount"], reversals=reversal)
        return transfer


@pytest.fixture
def stripe_transfers(settings, monkeypatch):
    """The stripe gateway pointed at a StripeTransfers on loopback (waiting 1.5 s on
    "hang" while the gateway gives up after 1 s), with webhooks signed as in tests above."""
    monkeypatch.setattr("payouts.gateways.stripe.TIMEOUT_SECONDS", 1)
    proxy = StripeTransfers(hang_seconds=1.5, accounts={CONNECTED})
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_API_BASE = proxy.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 2
    yield proxy
    proxy.stop()


def transfer_event(transfer: dict, event_id: str = "evt_transfer_1") -> dict:
    """Stripe's recorded transfer.created event (or transfer.reversed, once `transfer`
    is reversed) about `transfer`, a Transfer object as Stripe holds it."""
    name = "transfer_reversed_event.json" if transfer["reversed"] else "transfer_created_event.json"
    event = recorded(name)
    event["id"] = event_id
    event["data"]["object"] = copy.deepcopy(transfer)
    return event


def transfer_of(payout, **changes) -> dict:
    """The Transfer Stripe would hold for `payout` (for payouts not sent through it)."""
    transfer = recorded("transfer.json")
    transfer.update(
        id=payout.provider_id or f"tr_for_payout_{payout.pk}",
        amount=payout.amount,
        currency=payout.currency.lower(),
        destination=payout.destination,
        transfer_group=payout.transfer_group,
        metadata={"payout": str(payout.pk), "reference": payout.reference},
    )
    transfer.update(changes)
    return transfer


@pytest.fixture
def escrowed(org, owner):
    """A challenge funded (pool 2,500,000 + fee, local gateway) and opened: escrow holds
    the pool."""
    challenge = ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.AWAITING_FUNDING, funded=True
    )
    return challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)


def release(challenge, parts, reference: str = "award:1", gateway: str = "local"):
    """Release an award of `challenge` to `parts` [(user, amount)], in one transaction."""
    with transaction.atomic():
        return award_release_post(
            subject=subject_of(challenge),
            reference=reference,
            currency=challenge.currency,
            parts=[(user.pk, amount) for user, amount in parts],
            gateway=gateway,
        )
