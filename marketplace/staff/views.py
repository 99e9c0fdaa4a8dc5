"""Staff pages: the review queue and the staff decisions on a challenge. Everyone who
is not staff gets 404, as if the pages did not exist."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.challenges.selectors import challenge_for_user, review_queue
from marketplace.core.feedback import ServiceRefusal
from marketplace.lifecycle.services import challenge_transition
from marketplace.staff.access import require_staff

REVIEW_ACTIONS = ("approve", "return_to_draft", "reject")
STAFF_ACTIONS = (*REVIEW_ACTIONS, "cancel", "close_early")


def staff_review_queue(request):
    require_staff(request.user)
    challenges = review_queue()
    return render(request, "marketplace/staff_review_queue.html", {"challenges": challenges})


@require_POST
def staff_challenge_action(request, pk: int, action: str):
    require_staff(request.user)
    if action not in STAFF_ACTIONS:
        raise Http404
    challenge = challenge_for_user(request.user, pk)
    with ServiceRefusal(request):
        challenge = challenge_transition(
            challenge_id=challenge.pk,
            name=action,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
        messages.success(
            request,
            _("“%(title)s” is now %(state)s.")
            % {"title": challenge.title, "state": challenge.get_state_display()},
        )
    if action in REVIEW_ACTIONS:
        return redirect("staff_review_queue")
    return redirect("challenge_detail", pk=challenge.pk)
