"""Two factors (allauth.mfa) and who must have them: staff. A staff account without an
authenticator app or a security key is sent to set one up before any staff page or the
Django admin opens, and the staff API answers 403 `mfa_required`. The rule is
`lacks_required_mfa`; the page side is the middleware, the API side the permission."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from marketplace.accounts.permissions import is_staff

# A second factor is one of these; recovery codes only stand in for one.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
STAFF_PAGES = ("/staff/", "/admin/")


def has_second_factor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_mfa_enabled(
        user, types=SECOND_FACTORS
    )


def lacks_required_mfa(user) -> bool:
    return is_staff(user) and not has_second_factor(user)


def code_accepted(user, code: str) -> bool:
    """A code of the user's authenticator app, or one of their recovery codes (used up)."""
    types = [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    with transaction.atomic():
        for authenticator in Authenticator.objects.filter(user=user, type__in=types):
            if authenticator.wrap().validate_code(code):
                authenticator.record_usage()
                return True
    return False


class StaffMfaMiddleware:
    """Staff pages and the admin first send a staff account without two factors to the
    page that sets them up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(STAFF_PAGES) and lacks_required_mfa(request.user):
            messages.warning(
                request, _("Staff accounts need two-factor authentication. Please set it up.")
            )
            return redirect("mfa_index")
        return self.get_response(request)


class StaffHasMfa(BasePermission):
    """For staff endpoints, after the check that the caller is staff."""

    def has_permission(self, request, view):
        if lacks_required_mfa(request.user):
            raise PermissionDenied(
                _("Staff accounts need two-factor authentication: set it up on the site first."),
                code="mfa_required",
            )
        return True
