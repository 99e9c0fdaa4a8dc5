"""The page for a request refused by one of allauth's rate limits (sign-up, log-in,
password reset): 429 in the site's layout, with Retry-After saying how long to wait."""

import math
import time
from http import HTTPStatus

from allauth.account import app_settings
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django.core.cache import cache
from django.shortcuts import render

APP = "allauth.account"
# allauth's URL names whose action has a different name in ACCOUNT_RATE_LIMITS.
ACTIONS = {"account_email": "manage_email", "account_confirm_email": "confirm_email"}
FALLBACK_SECONDS = 60


def too_many_requests(request):
    seconds = retry_after(request)
    response = render(
        request, "429.html", {"seconds": seconds}, status=HTTPStatus.TOO_MANY_REQUESTS
    )
    response["Retry-After"] = str(seconds)
    return response


def retry_after(request) -> int:
    """Seconds until the exhausted per-address limit of the page's action frees a
    place; the longest window of the action when that cannot be told."""
    match = request.resolver_match
    name = match.url_name if match else ""
    action = ACTIONS.get(name, name.removeprefix("account_"))
    rates = get_rates(app=APP, action=action, config=app_settings.RATE_LIMITS)
    now = time.time()
    waits = []
    for rate in rates:
        if rate.per != "ip":
            continue
        key = get_cache_key(request, app=APP, action=action, rate=rate)
        history = [ts for ts in cache.get(key, []) if ts > now - rate.duration]  # newest first
        if len(history) >= rate.amount:
            waits.append(history[rate.amount - 1] + rate.duration - now)
    if waits:
        return max(1, math.ceil(max(waits)))
    return math.ceil(max((rate.duration for rate in rates), default=FALLBACK_SECONDS))
