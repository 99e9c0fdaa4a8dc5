"""Judges from outside the organisation: the owners invite a person by e-mail (on the
judges page) and withdraw a pending invitation; the invited person opens the link,
signs in or signs up with the invited address, and accepts. A link that cannot be used
gets a page saying why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.permissions import has_verified_email
from marketplace.core.feedback import ServiceRefusal
from marketplace.judging.invitations import (
    ANOTHER_ADDRESS,
    invitation_refusal,
    judge_invitation_accept,
    judge_invitation_revoke,
    judge_invitation_send,
)
from marketplace.judging.selectors import judge_invitation_by_token
from seekers.forms_judging import JudgeInviteForm
from seekers.views.access import challenge_for_seeker
from seekers.views.judging import judges_page


@login_required
@require_POST
def invite(request, pk):
    challenge = challenge_for_seeker(request.user, pk)
    form = JudgeInviteForm(request.POST)
    if form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            invitation = judge_invitation_send(
                challenge_id=challenge.pk, actor=request.user, email=form.cleaned_data["email"]
            )
            messages.success(
                request, _("Invitation to judge sent to %(email)s.") % {"email": invitation.email}
            )
        if not refusal.on_form:
            return redirect("seekers:judges", pk=challenge.pk)
    return judges_page(request, challenge, invite_form=form, status=400)


@login_required
@require_POST
def revoke(request, pk, invitation_pk):
    challenge = challenge_for_seeker(request.user, pk)
    invitation = get_object_or_404(challenge.judge_invitations, pk=invitation_pk)
    with ServiceRefusal(request):
        judge_invitation_revoke(invitation_id=invitation.pk, actor=request.user)
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    return redirect("seekers:judges", pk=challenge.pk)


def accept(request, token):
    """What the invitation is for, and a button to accept it; anyone not signed in is
    asked to sign in or sign up first (and comes back here)."""
    invitation = judge_invitation_by_token(token)
    problem = invitation_refusal(invitation)
    if problem:
        status = 404 if invitation is None else 410
        return render(request, "seekers/judge_invitation.html", {"problem": problem}, status=status)
    if not request.user.is_authenticated:
        return render(
            request,
            "seekers/judge_invitation.html",
            {"invitation": invitation, "next": request.path},
        )
    if not has_verified_email(request.user, invitation.email):
        return render(
            request,
            "seekers/judge_invitation.html",
            {"problem": ANOTHER_ADDRESS, "sign_out": True},
            status=403,
        )
    refusal = ServiceRefusal(request)
    if request.method == "POST":
        with refusal:
            assignment = judge_invitation_accept(token=token, user=request.user)
            messages.success(
                request,
                _("You now judge “%(title)s”.") % {"title": assignment.challenge.title},
            )
            return redirect("seekers:judging", pk=assignment.challenge_id)
    return render(
        request,
        "seekers/judge_invitation.html",
        {"invitation": invitation},
        status=refusal.status if refusal.error else 200,
    )
