"""Sensitive changes (payout destination, tax form, organisation membership) ask for the
password again, and the second factor if set up: allauth's re-authentication, valid for
ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. Pages use allauth's
`reauthentication_required` decorator, which replays the interrupted POST afterwards,
or, for tax forms, `reauthenticate_first`, which asks before the form is shown and
never keeps the posted form in the session. The API has no form to ask in, so its versions
of those changes need a session (the site's log-in cookie) re-authenticated on the site
within that time; a token alone is refused with 403 `reauthentication_required`."""

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
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


def reauthenticate_first(request, next_url: str) -> HttpResponseRedirect | None:
    """For a page whose posted data must not wait in the session (a tax number, kept
    only encrypted): when a re-authentication is due, send the person to it and then to
    `next_url`, without keeping what was posted (allauth's decorator would replay it).
    None when no re-authentication is due."""
    if not is_reauthentication_required(request, app=""):
        return None
    methods = get_adapter().get_reauthentication_methods(request.user)
    url = methods[0]["url"] if methods else reverse("account_login")
    return HttpResponseRedirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
