"""How often supporting is allowed: per account and per client address, counted in the
shared cache in fixed one-hour windows. Over the rate the service refuses with
`LimitReached`, saying how long to wait."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from marketplace.core.errors import LimitReached

WINDOW = 3600


def _count(key: str) -> int:
    if cache.add(key, 1, WINDOW + 60):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW + 60)
        return 1


def support_throttle(*, user_id: int, ip: str | None) -> None:
    """Count one support by the account (and the address, when known); refuse past
    either rate."""
    now = time.time()
    window = int(now // WINDOW)
    wait = int((window + 1) * WINDOW - now)
    limits = [(f"idea-support:user:{user_id}:{window}", settings.IDEA_SUPPORTS_PER_HOUR_ACCOUNT)]
    if ip:
        limits.append((f"idea-support:ip:{ip}:{window}", settings.IDEA_SUPPORTS_PER_HOUR_IP))
    counts = [(_count(key), rate) for key, rate in limits]  # every attempt counts on both
    for count, rate in counts:
        if count > rate:
            raise LimitReached(
                _("You are supporting ideas too fast; try again in %(minutes)d minutes.")
                % {"minutes": max(1, wait // 60)},
                code="support_throttled",
                retry_after=wait,
            )
