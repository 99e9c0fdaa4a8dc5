"""Who sent a request: the client's address, behind as many reverse proxies as the
deployment says it has (TRUSTED_PROXY_COUNT), read the way the API's throttles and the
log-in rate limits read it (REST framework's NUM_PROXIES and allauth's
ALLAUTH_TRUSTED_PROXY_COUNT are set from the same number)."""

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR with no trusted proxy; else the address the outermost trusted proxy
    saw, from X-Forwarded-For (what a client writes there itself is never trusted)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))] or None
    return request.META.get("REMOTE_ADDR") or None
