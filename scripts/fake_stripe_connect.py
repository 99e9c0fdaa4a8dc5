"""Stripe Connect for the fake Stripe (localstripe has none): Express accounts, Account
Links with the onboarding page Stripe hosts, and Transfers, kept in memory, answering
with the fields and errors Stripe documents for what the marketplace reads.

- POST /v1/accounts makes an account that cannot receive payouts yet (requirements
  due); GET /v1/accounts/<id> returns it, or Stripe's 404.
- POST /v1/account_links (account, type, refresh_url, return_url) answers a link on
  this server, valid for 300 seconds and once; its page's "Finish" makes the account
  able to receive payouts and redirects to return_url; a used or expired link
  redirects to refresh_url.
- POST /v1/transfers sends money to a known account; GET /v1/transfers/<id>."""

import html
import itertools
import json
import re
import time

from aiohttp import web
from localstripe import server

LINK_SECONDS = 300
ONBOARDING = "/connect/onboarding/"

accounts: dict[str, dict] = {}
links: dict[str, dict] = {}
transfers: dict[str, dict] = {}
idempotent: dict[str, dict] = {}
numbers = itertools.count(1)


def _error(status: int, message: str, *, param: str | None = None, code: str | None = None):
    error = {"type": "invalid_request_error", "message": message, "param": param, "code": code}
    return web.json_response({"error": error}, status=status)


def _metadata(data: dict) -> dict:
    return {key: str(value) for key, value in (data.get("metadata") or {}).items()}


def _account_create(data: dict) -> web.Response:
    if data.get("type", "express") not in ("express", "standard", "custom"):
        return _error(
            400, "Invalid type: must be one of custom, express, or standard", param="type"
        )
    account_id = f"acct_1Fake{next(numbers):011d}"
    accounts[account_id] = {
        "id": account_id,
        "object": "account",
        "type": data.get("type", "express"),
        "email": data.get("email"),
        "country": "US",
        "default_currency": "usd",
        "created": int(time.time()),
        "charges_enabled": False,
        "payouts_enabled": False,
        "details_submitted": False,
        "capabilities": {"transfers": "inactive"},
        "requirements": {
            "currently_due": ["external_account", "individual.verification.document"],
            "eventually_due": ["external_account", "individual.verification.document"],
            "past_due": [],
            "disabled_reason": "requirements.past_due",
        },
        "metadata": _metadata(data),
    }
    return web.json_response(accounts[account_id])


def _link_create(data: dict, base: str) -> web.Response:
    for name in ("account", "type", "refresh_url", "return_url"):
        if not data.get(name):
            return _error(
                400, f"Missing required param: {name}.", param=name, code="parameter_missing"
            )
    if data["account"] not in accounts:
        return _error(
            400, f"No such account: '{data['account']}'", param="account", code="resource_missing"
        )
    link_id = f"link{next(numbers):06d}"
    now = int(time.time())
    links[link_id] = {**data, "expires_at": now + LINK_SECONDS, "used": False}
    return web.json_response(
        {
            "object": "account_link",
            "created": now,
            "expires_at": now + LINK_SECONDS,
            "url": f"{base}{ONBOARDING}{link_id}",
        }
    )


def _transfer_create(data: dict) -> web.Response:
    if data.get("destination") not in accounts:
        return _error(
            400,
            f"No such destination: '{data.get('destination')}'",
            param="destination",
            code="resource_missing",
        )
    transfer_id = f"tr_1Fake{next(numbers):011d}"
    transfers[transfer_id] = {
        "id": transfer_id,
        "object": "transfer",
        "amount": int(data["amount"]),
        "amount_reversed": 0,
        "currency": data["currency"],
        "destination": data["destination"],
        "transfer_group": data.get("transfer_group"),
        "reversed": False,
        "created": int(time.time()),
        "metadata": _metadata(data),
    }
    return web.json_response(transfers[transfer_id])


def _onboarding(request: web.Request, link_id: str, action: str) -> web.Response:
    link = links.get(link_id)
    if link is None:
        return web.Response(status=404, text="Link not found")
    if link["used"] or link["expires_at"] < time.time():
        raise web.HTTPFound(link["refresh_url"])
    if request.method == "POST" and action == "finish":
        link["used"] = True
        account = accounts[link["account"]]
        account.update(payouts_enabled=True, details_submitted=True)
        account["capabilities"]["transfers"] = "active"
        account["requirements"].update(
            currently_due=[], eventually_due=[], past_due=[], disabled_reason=None
        )
        raise web.HTTPSeeOther(link["return_url"])
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe onboarding'
        "</title></head><body><main><h1>Set up payouts</h1>"
        f"<p>Test onboarding for account {html.escape(link['account'])}.</p>"
        f'<form method="post" action="{ONBOARDING}{link_id}/finish">'
        '<button type="submit">Finish</button></form></main></body></html>'
    )
    return web.Response(text=page, content_type="text/html")


ROUTES = [
    ("POST", re.compile(r"^/v1/accounts$"), lambda data, base, m: _account_create(data)),
    ("POST", re.compile(r"^/v1/account_links$"), lambda data, base, m: _link_create(data, base)),
    ("POST", re.compile(r"^/v1/transfers$"), lambda data, base, m: _transfer_create(data)),
]
FOUND = {
    re.compile(r"^/v1/accounts/(acct_\w+)$"): (accounts, "account"),
    re.compile(r"^/v1/transfers/(tr_\w+)$"): (transfers, "transfer"),
}


@web.middleware
async def connect(request, handler):
    if request.path.startswith(ONBOARDING):
        link_id, _slash, action = request.path.removeprefix(ONBOARDING).partition("/")
        if request.method == "POST":
            await request.read()
        return _onboarding(request, link_id, action)
    for method, pattern, create in ROUTES:
        if request.method == method and pattern.match(request.path):
            key = request.headers.get("Idempotency-Key")
            if key and key in idempotent:
                return web.json_response(idempotent[key])
            data = await server.get_post_data(request) or {}
            response = create(data, f"{request.scheme}://{request.host}", None)
            if key and response.status == 200:
                idempotent[key] = _body(response)
            return response
    if request.method == "GET":
        for pattern, (store, name) in FOUND.items():
            found = pattern.match(request.path)
            if found:
                obj = store.get(found.group(1))
                if obj is None:
                    return _error(
                        404, f"No such {name}: '{found.group(1)}'", code="resource_missing"
                    )
                return web.json_response(obj)
    return await handler(request)


def _body(response: web.Response) -> dict:
    return json.loads(response.body)
