"""A person's notifications (newest first, unread ones marked), how they hear of each
kind, and following Seeker organisations. Each notification is worded in the reader's
language when shown."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core.feedback import ServiceRefusal
from marketplace.notifications import follows
from marketplace.notifications.forms import PreferencesForm
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.preferences import preferences_of, preferences_set
from marketplace.notifications.services import (
    notifications_for,
    notifications_mark_read,
)

PAGE_SIZE = 25


@login_required
def notifications_page(request):
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "items": [(n, notification_message(n)) for n in page.object_list],
        "follows": follows.follows_of(request.user),
    }
    return render(request, "marketplace/notifications/list.html", context)


@login_required
def notification_open(request, pk: int):
    """Mark one of the reader's notifications read and go where it leads."""
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(notification_message(notification).url)


@require_POST
@login_required
def notifications_read(request):
    notifications_mark_read(user=request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications")


@login_required
def notification_preferences(request):
    """One choice per kind the person receives: e-mail at once, daily digest, app only."""
    form = PreferencesForm(request.POST or None, choices=preferences_of(request.user))
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            preferences_set(user=request.user, choices=form.cleaned_data)
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notification_preferences")
        status = refusal.status
    elif request.method == "POST":
        status = HTTPStatus.BAD_REQUEST
    return render(
        request, "marketplace/notifications/preferences.html", {"form": form}, status=status
    )


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications")


@require_POST
@login_required
def organization_follow(request, pk: int):
    try:
        follow = follows.organization_follow(organization_id=pk, user=request.user)
    except ObjectDoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _("You follow %(name)s: you will be told when it opens a challenge.")
        % {"name": follow.organization.name},
    )
    return _back(request)


@require_POST
@login_required
def organization_unfollow(request, pk: int):
    follows.organization_unfollow(organization_id=pk, user=request.user)
    messages.success(request, _("You no longer follow this organisation."))
    return _back(request)
