"""A person's own data: the page to ask for an export of it, the download of the
archive through the e-mailed link (its owner only, until the link expires: then 410),
and the erasure form, which says beforehand what is kept and why."""

from http import HTTPStatus

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from marketplace.accounts.ratelimits import too_many_requests
from marketplace.core.feedback import ServiceRefusal
from marketplace.privacy.forms import ErasureForm
from marketplace.privacy.links import LinkExpired, export_request_id
from marketplace.privacy.models import PrivacyRequest, PrivacyRequestKind, PrivacyRequestState
from marketplace.privacy.selectors import export_ready
from marketplace.privacy.services import (
    erasure_refusals,
    personal_data_erase,
    personal_export_request,
)


@login_required
@require_safe
def personal_data_page(request):
    context = {"export": export_ready(request.user)}
    return render(request, "marketplace/privacy/personal_data.html", context)


@login_required
@require_POST
def personal_export(request):
    with ServiceRefusal(request):
        personal_export_request(user=request.user)
        messages.success(
            request, _("We are preparing your data. We will e-mail you a link to download it.")
        )
    return redirect("personal_data")


def _expired(request):
    return render(request, "marketplace/privacy/link_expired.html", status=HTTPStatus.GONE)


@login_required
@require_safe
def personal_export_download(request, token: str):
    """Only the person the export is about may fetch it; anyone else gets a 404, as for
    a link that does not exist."""
    try:
        request_id = export_request_id(token)
    except LinkExpired:
        return _expired(request)
    row = PrivacyRequest.objects.filter(
        pk=request_id, user=request.user, kind=PrivacyRequestKind.EXPORT
    ).first()
    if row is None:
        raise Http404
    if (
        row.state != PrivacyRequestState.READY
        or row.expires_at <= timezone.now()
        or not default_storage.exists(row.archive.name)
    ):
        return _expired(request)
    response = FileResponse(
        default_storage.open(row.archive.name, "rb"),
        as_attachment=True,
        filename=f"my-data-{row.completed_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def personal_data_erasure(request):
    # The form asks for the password: guesses count against the same limit as
    # re-authentication (ACCOUNT_RATE_LIMITS "reauthenticate", per person).
    if request.method == "POST" and not ratelimit.consume(
        request, action="reauthenticate", user=request.user
    ):
        return too_many_requests(request)
    form = ErasureForm(request.POST or None)
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            personal_data_erase(user=request.user, **form.cleaned_data)
            logout(request)
            messages.success(request, _("Your personal data has been erased."))
            return redirect("home")
        status = refusal.status
    elif request.method == "POST":
        status = HTTPStatus.BAD_REQUEST
    context = {"form": form, "refusals": erasure_refusals(request.user)}
    return render(request, "marketplace/privacy/erasure.html", context, status=status)
