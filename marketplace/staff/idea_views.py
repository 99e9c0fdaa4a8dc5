"""Staff moderating open ideation: the open reports (hide the idea or the comment, with
a reason its author reads) and the bursts of support from new accounts (supports in the
last hour from accounts younger than 7 days, per idea). Everyone who is not staff gets
404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core.feedback import ServiceRefusal
from marketplace.ideation.selectors import open_reports, support_bursts
from marketplace.ideation.services import comment_hide, idea_hide
from marketplace.staff.access import require_staff


def staff_ideas(request):
    require_staff(request.user)
    return render(
        request,
        "marketplace/staff/ideas.html",
        {"reports": open_reports(), "bursts": support_bursts()},
    )


def _back():
    return redirect(reverse("staff_ideas"))


@require_POST
def staff_idea_hide(request, pk: int):
    require_staff(request.user)
    with ServiceRefusal(request):
        idea_hide(submission_id=pk, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The idea is hidden; its authors read the reason."))
    return _back()


@require_POST
def staff_comment_hide(request, pk: int):
    require_staff(request.user)
    with ServiceRefusal(request):
        comment_hide(comment_id=pk, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The comment is hidden; its author reads the reason."))
    return _back()
