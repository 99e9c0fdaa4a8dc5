"""Sensitive changes (payout destination, tax form, organisation membership) ask for the
password again, and the second factor if set up: allauth's re-authentication, valid for
ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. Pages use allauth's
`reauthentication_required` decorator. The API has no form to ask in, so its versions
of those changes need a session (the site's log-in cookie) re-authenticated on the site
within that time; a token alone is refused with 403 `reauthentication_required`."""

from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from django.utils.translation import gettext as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied


def require_recent_reauthentication(request) -> None:
    """For an API view (DRF request): refuse unless the caller's session re-authenticated
    recently."""
    if not isinstance(request.successful_authenticator, SessionAuthentication):
        raise PermissionDenied(
            _(
                "This change needs a recent re-authentication, which an API token cannot "
                "give: make it on the site, or re-authenticate there and use that session."
            ),
            code="reauthentication_required",
        )
    if is_reauthentication_required(request._request, app=""):
        raise PermissionDenied(
            _("Confirm it is you first: re-authenticate on the site, then try again."),
            code="reauthentication_required",
        )
