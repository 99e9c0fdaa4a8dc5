"""A challenge's page, where a solver registers (the agreement gate in front of the full
brief) and asks, and the Seeker answers; those steps are POST only, then back to the
page with the outcome as a message. A registered solver can read again exactly the
agreement text they accepted."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import ChallengeState
from marketplace.challenges.permissions import can_read_brief, is_editor, is_member
from marketplace.challenges.selectors import (
    accepts_submissions,
    challenge_for_user,
    early_close_of,
)
from marketplace.challenges.sharing import challenge_sharing
from marketplace.challenges.states import QUESTIONS_ANSWERABLE
from marketplace.challenges.transitions import available_transitions
from marketplace.core.clients import client_ip
from marketplace.core.feedback import ServiceRefusal
from marketplace.escrow.selectors import escrow_now
from marketplace.participation import services as participation
from marketplace.participation.agreements import challenge_agreement
from marketplace.participation.selectors import clarifications_for


class AcceptAgreementForm(forms.Form):
    """The deliberate act: the box ticked, and the hash of the text that was shown."""

    accept = forms.BooleanField(required=True)
    accepted_sha256 = forms.CharField(required=False)


def challenge_detail(request, pk: int):
    user = request.user
    challenge = challenge_for_user(user, pk)
    staff = is_staff(user)
    member = is_member(user, challenge)
    editor = is_editor(user, challenge)
    registration = (
        challenge.registrations.select_related("acceptance__template").filter(user=user).first()
        if user.is_authenticated
        else None
    )
    registered = registration is not None
    is_open = accepts_submissions(challenge)
    reader = can_read_brief(user, challenge)
    can_register = user.is_authenticated and is_open and not member and not registered
    staff_actions = {t.name for t in available_transitions(challenge, user)} if staff else set()
    context = {
        "challenge": challenge,
        "show_seeker": not challenge.hide_seeker or member or staff,
        "is_editor": editor,
        "registered": registered,
        "acceptance": registration.acceptance if registered else None,
        "can_read_brief": reader,
        "can_register": can_register,
        "agreement": challenge_agreement(challenge) if can_register else None,
        "is_open": is_open,
        "submission_count": challenge.submissions.active().count(),
        "awards": challenge.planned_awards.all(),
        "requirements": challenge.requirements.all() if reader else (),
        "attachments": challenge.attachments.all() if reader else (),
        "clarifications": clarifications_for(user, challenge),
        "can_ask": registered and challenge.state == ChallengeState.OPEN,
        "can_answer": editor and challenge.state in QUESTIONS_ANSWERABLE,
        "can_cancel": "cancel" in staff_actions,
        "can_close_early": "close_early" in staff_actions,
        "closed_early": early_close_of(challenge),
        "escrow": escrow_now([challenge]).get(challenge.pk),
        "sharing": challenge_sharing(request, challenge) if challenge.is_published else None,
    }
    return render(request, "marketplace/challenge_detail.html", context)


def _back_to_agreement(challenge):
    return redirect(reverse("challenge_detail", args=[challenge.pk]) + "#agreement")


@require_POST
@login_required
def challenge_register(request, pk: int):
    challenge = challenge_for_user(request.user, pk)
    form = AcceptAgreementForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Tick “I have read and accept this agreement” to register. Nothing was recorded."),
        )
        return _back_to_agreement(challenge)
    with ServiceRefusal(request):
        participation.challenge_register(
            challenge_id=challenge.pk,
            user=request.user,
            accepted_sha256=form.cleaned_data["accepted_sha256"],
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
        messages.success(request, _("You are registered for this challenge."))
        return redirect("challenge_detail", pk=challenge.pk)
    return _back_to_agreement(challenge)


@login_required
def agreement_accepted(request, pk: int):
    """The exact text this user accepted to register for the challenge; 404 if none."""
    challenge = challenge_for_user(request.user, pk)
    registration = (
        challenge.registrations.select_related("acceptance__template")
        .filter(user=request.user, acceptance__isnull=False)
        .first()
    )
    if registration is None:
        raise Http404
    return render(
        request,
        "marketplace/agreements/accepted.html",
        {"challenge": challenge, "acceptance": registration.acceptance},
    )


@require_POST
@login_required
def clarification_ask(request, pk: int):
    challenge = challenge_for_user(request.user, pk)
    with ServiceRefusal(request):
        participation.clarification_ask(
            challenge_id=challenge.pk, user=request.user, question=request.POST.get("question", "")
        )
        messages.success(request, _("Your question was sent to the Seeker."))
    return redirect("challenge_detail", pk=challenge.pk)


@require_POST
@login_required
def clarification_answer(request, pk: int, clarification_id: int):
    challenge = challenge_for_user(request.user, pk)
    clarification = get_object_or_404(challenge.clarifications, pk=clarification_id)
    with ServiceRefusal(request):
        participation.clarification_answer(
            clarification_id=clarification.pk,
            actor=request.user,
            answer=request.POST.get("answer", ""),
        )
        messages.success(request, _("The answer is published."))
    return redirect("challenge_detail", pk=challenge.pk)
