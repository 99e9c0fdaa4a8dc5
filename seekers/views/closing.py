"""Closing a challenge early, from its Seeker's page: a confirmation form with the
reason. While no entry has been submitted the owner closes it; once one has, the owner
asks staff (a pending request), and staff may always close it directly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from marketplace.challenges.models import Challenge
from marketplace.challenges.transitions import require_transition
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.feedback import ServiceRefusal
from marketplace.lifecycle.early_close import early_close_request
from marketplace.lifecycle.models import EarlyCloseState
from marketplace.lifecycle.selectors import early_close_requests_of
from marketplace.lifecycle.services import challenge_transition
from seekers.forms import EarlyCloseForm
from seekers.views.access import challenge_for_seeker

CLOSE, ASK = "close", "ask"


def close_early_mode(challenge: Challenge, user) -> tuple[str, str]:
    """What this user can do here ("close", "ask" or ""), and why not when they cannot."""
    try:
        require_transition(challenge, "close_early", user)
    except NotAllowed:
        return "", _("Only an owner of the organisation, or staff, can close a challenge early.")
    except IllegalTransition as exc:
        if exc.code == "entries_exist":
            return ASK, exc.message
        return "", exc.message
    return CLOSE, ""


def _page(request, challenge: Challenge, form: EarlyCloseForm, status: int = 200):
    mode, refusal = close_early_mode(challenge, request.user)
    requests = list(early_close_requests_of(challenge))
    pending = next((r for r in requests if r.state == EarlyCloseState.PENDING), None)
    if mode == ASK and pending:
        mode = ""
    return render(
        request,
        "seekers/close_early.html",
        {
            "challenge": challenge,
            "form": form,
            "mode": mode,
            "refusal": refusal,
            "pending": pending,
            "requests": requests,
            "entry_count": challenge.submissions.active().count(),
        },
        status=status,
    )


@login_required
def close_early(request, pk):
    challenge = challenge_for_seeker(request.user, pk)
    if request.method != "POST":
        return _page(request, challenge, EarlyCloseForm())
    form = EarlyCloseForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        mode, _refusal = close_early_mode(challenge, request.user)
        with ServiceRefusal(request, form, whole_form=True) as refusal:
            if mode == ASK:
                early_close_request(challenge_id=challenge.pk, actor=request.user, reason=reason)
                messages.success(
                    request, _("Your request was sent to staff. You will be told when they decide.")
                )
            else:
                challenge_transition(
                    challenge_id=challenge.pk, name="close_early", actor=request.user, reason=reason
                )
                messages.success(
                    request,
                    _("“%(title)s” is closed. Its solvers are being told why.")
                    % {"title": challenge.title},
                )
        if refusal.error is None:
            return redirect("seekers:challenge_manage", pk=challenge.pk)
        return _page(request, challenge, form, status=refusal.status)
    return _page(request, challenge, form, status=400)
