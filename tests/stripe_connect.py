"""Stripe Connect without the internet (localstripe has no Connect): a StripeTransfers
that is also Stripe's Accounts and Account Links APIs, and the onboarding Stripe hosts.

- POST /v1/accounts makes an Express account from the recorded one (payouts not
  enabled, requirements due), filled in from the request; GET /v1/accounts/<id> returns
  it, or Stripe's 404 for an account it does not know.
- POST /v1/account_links needs `account`, `type` (account_onboarding or account_update),
  `refresh_url` and `return_url`, as Stripe does, and answers a link whose `url` is on
  the fake itself, valid for 300 seconds and once.
- GET of that url is a tiny onboarding page; its "Finish" (a POST) makes the account
  able to receive payouts and redirects to `return_url`. A used or expired link
  redirects to `refresh_url`, as Stripe's does.

Every account made here can receive transfers (it joins `accounts`)."""

import html
import json
import time
import urllib.parse
from itertools import count

from tests.payouts.conftest import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    StripeTransfers,
    recorded,
)

ACCOUNTS = "/v1/accounts"
ACCOUNT_LINKS = "/v1/account_links"
ONBOARDING = "/connect/onboarding/"
LINK_SECONDS = 300
LINK_TYPES = ("account_onboarding", "account_update")


def stripe_error(status: int, message: str, *, param: str | None = None, code: str | None = None):
    """Stripe's error answer: an invalid_request_error with its message, param and code."""
    error = {"type": "invalid_request_error", "message": message, "param": param, "code": code}
    if code:
        error["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    return status, json.dumps({"error": error}).encode()


class StripeConnectFake(StripeTransfers):
    def __init__(self, hang_seconds: float = 1.5, accounts: set[str] | None = None):
        super().__init__(hang_seconds=hang_seconds, accounts=set(accounts or ()))
        self.made_accounts: dict[str, dict] = {}
        self.links: dict[str, dict] = {}
        self.numbers = count(1)

    # --- the API ---------------------------------------------------------------------

    def forward(self, request, body: bytes) -> tuple[int, bytes]:
        path = request.path.split("?")[0]
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if request.command == "POST" and path == ACCOUNTS:
            return self.account_create(form)
        if request.command == "GET" and path.startswith(f"{ACCOUNTS}/"):
            return self.account_get(path.removeprefix(f"{ACCOUNTS}/"))
        if request.command == "POST" and path == ACCOUNT_LINKS:
            return self.link_create(form)
        return super().forward(request, body)

    def account_create(self, form: dict) -> tuple[int, bytes]:
        if form.get("type") not in ("express", "standard", "custom", None):
            return stripe_error(
                400, "Invalid type: must be one of custom, express, or standard", param="type"
            )
        with self.lock:
            account = recorded("account.json")
            account_id = f"acct_1Fake{next(self.numbers):011d}"
            account.update(
                id=account_id,
                email=form.get("email"),
                type=form.get("type", "express"),
                created=int(time.time()),
                metadata={
                    name.removeprefix("metadata[").removesuffix("]"): value
                    for name, value in form.items()
                    if name.startswith("metadata[")
                },
            )
            account["external_accounts"]["url"] = f"{ACCOUNTS}/{account_id}/external_accounts"
            self.made_accounts[account_id] = account
            self.accounts.add(account_id)
        return 200, json.dumps(account).encode()

    def account_get(self, account_id: str) -> tuple[int, bytes]:
        account = self.made_accounts.get(account_id)
        if account is None:
            return stripe_error(
                404, f"No such account: '{account_id}'", param="account", code="resource_missing"
            )
        return 200, json.dumps(account).encode()

    def link_create(self, form: dict) -> tuple[int, bytes]:
        for name in ("account", "type", "refresh_url", "return_url"):
            if not form.get(name):
                return stripe_error(
                    400, f"Missing required param: {name}.", param=name, code="parameter_missing"
                )
        if form["type"] not in LINK_TYPES:
            return stripe_error(
                400,
                f"Invalid type: must be one of {' or '.join(LINK_TYPES)}",
                param="type",
                code="parameter_invalid_empty",
            )
        if form["account"] not in self.made_accounts:
            return stripe_error(
                400,
                f"No such account: '{form['account']}'",
                param="account",
                code="resource_missing",
            )
        with self.lock:
            link_id = f"link{next(self.numbers):06d}"
            now = int(time.time())
            link = recorded("account_link.json")
            link.update(
                created=now, expires_at=now + LINK_SECONDS, url=self.url + ONBOARDING + link_id
            )
            self.links[link_id] = {**form, "expires_at": link["expires_at"], "used": False}
        return 200, json.dumps(link).encode()

    # --- the onboarding pages Stripe hosts ---------------------------------------------

    def handle(self, request):
        if not request.path.startswith(ONBOARDING):
            super().handle(request)
            return
        request.rfile.read(int(request.headers.get("Content-Length") or 0))
        request.close_connection = True
        link_id, _slash, action = request.path.removeprefix(ONBOARDING).partition("/")
        with self.lock:
            link = self.links.get(link_id)
            stale = link is None or link["used"] or link["expires_at"] < time.time()
            if link is not None and not stale and request.command == "POST" and action == "finish":
                link["used"] = True
                self.finish(link["account"])
                self.redirect(request, link["return_url"])
                return
        if link is None:
            self.page(request, 404, "<h1>Link not found</h1>")
        elif stale:
            self.redirect(request, link["refresh_url"])
        else:
            self.page(
                request,
                200,
                "<h1>Set up payouts</h1><p>Account "
                f"{html.escape(link['account'])}</p>"
                f'<form method="post" action="{ONBOARDING}{link_id}/finish">'
                '<button type="submit">Finish</button></form>',
            )

    def finish(self, account_id: str) -> None:
        """What the winner's onboarding gives Stripe: the account can receive payouts."""
        account = self.made_accounts[account_id]
        account.update(payouts_enabled=True, details_submitted=True, charges_enabled=False)
        account["capabilities"]["transfers"] = "active"
        account["requirements"].update(
            currently_due=[], past_due=[], eventually_due=[], disabled_reason=None
        )

    def expire_links(self) -> None:
        with self.lock:
            for link in self.links.values():
                link["expires_at"] = 0

    @staticmethod
    def redirect(request, location: str) -> None:
        request.send_response(303 if request.command == "POST" else 302)
        request.send_header("Location", location)
        request.send_header("Content-Length", "0")
        request.end_headers()

    @staticmethod
    def page(request, status: int, body: str) -> None:
        payload = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>Stripe onboarding</title></head><body><main>{body}</main></body></html>"
        ).encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)


def account_updated_event(account: dict, *, created: int, event_id: str) -> dict:
    """Stripe's recorded account.updated event about `account` (an Account object)."""
    event = recorded("account_updated_event.json")
    event.update(id=event_id, created=created, account=account["id"])
    event["data"]["object"] = json.loads(json.dumps(account))
    return event


def stripe_connect_running(settings, monkeypatch):
    """For a fixture: the stripe gateway pointed at a StripeConnectFake on loopback,
    stopped when the test ends."""
    monkeypatch.setattr("payouts.gateways.stripe.TIMEOUT_SECONDS", 1)
    fake = StripeConnectFake()
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 2
    yield fake
    fake.stop()
