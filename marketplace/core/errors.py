"""Domain errors raised by services. Front doors translate them: pages show the
message, the API answers with a stable `code` (see marketplace.core.api.errors)."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = [
    "IllegalTransition",
    "LimitReached",
    "NotAllowed",
    "PermissionDenied",
    "ValidationError",
]


class IllegalTransition(Exception):
    """The transition does not apply to the challenge's current state, or one of its
    conditions does not hold. Carries the current state for the caller."""

    code = "illegal_transition"

    def __init__(self, message: str, *, state: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.state = state
        if code:
            self.code = code


class NotAllowed(PermissionDenied):
    """The actor lacks the role for this action."""


class LimitReached(Exception):
    """A rule of "not so often" (e.g. invitations an organisation sends in a day) says
    no for now; `retry_after` is how many seconds until it says yes."""

    def __init__(self, message: str, *, code: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = max(1, retry_after)
