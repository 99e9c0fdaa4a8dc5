"""Stripe without the internet, for every test that needs it: localstripe (a fake
Stripe API and Stripe.js, `scripts/fake_stripe.py`) on loopback for the whole session,
settings that point the stripe gateway and the card form at it, and localstripe's own
events. Import the fixtures into a conftest to use them there."""

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import stripe

from tests.conftest import skip_unless

SECRET_KEY = "sk_test_localstripe"
PUBLISHABLE_KEY = "pk_test_localstripe"
WEBHOOK_SECRET = "whsec_test_localstripe"
GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"  # attaches, then is declined when charged

LAUNCHER = Path(__file__).resolve().parents[1] / "scripts" / "fake_stripe.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method: str, url: str, body: dict | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(request, timeout=2) as r:
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
        [sys.executable, str(LAUNCHER), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call("GET", f"{url}/js.stripe.com/v3/")
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
    """The stripe gateway (and the card form's Stripe.js) configured against an emptied
    localstripe. Returns a client for what happens outside our server: the payer's
    browser, Stripe's own records."""
    call("DELETE", f"{localstripe_url}/_config/data")
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
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


@pytest.fixture
def localstripe_webhook(localstripe_url):
    """localstripe_webhook(url) has localstripe post its events, signed, to `url` until
    the test ends (then it posts them nowhere: the process serves the whole session)."""
    hook = f"{localstripe_url}/_config/webhooks/marketplace"

    def register(url: str) -> None:
        call("POST", hook, {"url": url, "secret": WEBHOOK_SECRET})

    yield register
    call("POST", hook, {"url": "http://127.0.0.1:9/", "secret": WEBHOOK_SECRET, "events": []})


def confirm_with_card(localstripe_url: str, client_secret: str, number: str = GOOD_CARD) -> dict:
    """What Stripe.js's confirmCardPayment sends for a card typed into its Element (with
    the publishable key and the client secret); returns localstripe's answer: the
    PaymentIntent, or {"error": ...}."""
    intent_id = client_secret.split("_secret_")[0]
    body = {
        "key": PUBLISHABLE_KEY,
        "client_secret": client_secret,
        "payment_method_data": {
            "type": "card",
            "card": {"number": number, "exp_month": "12", "exp_year": "2035", "cvc": "123"},
        },
    }
    request = urllib.request.Request(
        f"{localstripe_url}/v1/payment_intents/{intent_id}/confirm",
        data=json.dumps(body).encode(),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as refused:
        return json.load(refused)
