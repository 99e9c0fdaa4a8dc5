"""Every request that changes something (POST, PUT, PATCH, DELETE) counts against a
rate per user, or per client address when anonymous. A view may name a tighter scope
in `write_scope` (invitations, uploads); the rates are REST_FRAMEWORK's
DEFAULT_THROTTLE_RATES, read at each request so operators (and tests) can change them.
Reads are never counted here."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_SCOPE = "writes"


class WriteRateThrottle(SimpleRateThrottle):
    def __init__(self):  # the rate depends on the view: chosen in allow_request
        pass

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        self.scope = getattr(view, "write_scope", DEFAULT_SCOPE)
        self.rate = api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
