"""Staff deciding on owners' requests to close a challenge early, from the dashboard:
approve (the challenge closes) or refuse with a note the owner is told. Everyone who is
not staff gets 404."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.challenges.conditions import EARLY_CLOSE_REASON_MAX
from marketplace.core.feedback import ServiceRefusal
from marketplace.lifecycle.early_close import early_close_approve, early_close_refuse
from marketplace.lifecycle.models import EarlyCloseRequest
from marketplace.staff.access import require_staff


class RefuseForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=EARLY_CLOSE_REASON_MAX)


def _back():
    return redirect(reverse("staff_dashboard") + "#early-close")


@require_POST
def staff_early_close_approve(request, pk: int):
    require_staff(request.user)
    row = get_object_or_404(EarlyCloseRequest.objects.select_related("challenge"), pk=pk)
    with ServiceRefusal(request):
        early_close_approve(request_id=row.pk, actor=request.user)
        messages.success(
            request, _("“%(title)s” is closed early.") % {"title": row.challenge.title}
        )
    return _back()


@require_POST
def staff_early_close_refuse(request, pk: int):
    require_staff(request.user)
    row = get_object_or_404(EarlyCloseRequest.objects.select_related("challenge"), pk=pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a note telling the owner why."))
        return _back()
    with ServiceRefusal(request):
        early_close_refuse(request_id=row.pk, actor=request.user, note=form.cleaned_data["note"])
        messages.success(
            request,
            _("The request to close “%(title)s” early is refused; the owner is told.")
            % {"title": row.challenge.title},
        )
    return _back()
