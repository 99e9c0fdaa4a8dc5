"""Solvers registering and asking, the Seeker answering: POST only, then back to the
challenge's page with the outcome as a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..selectors import challenge_for_user
from ..services import participation
from .feedback import SERVICE_ERRORS, report_error


@require_POST
@login_required
def challenge_register(request, pk: int):
    challenge = challenge_for_user(request.user, pk)
    try:
        participation.challenge_register(
            challenge_id=challenge.pk,
            user=request.user,
            accepted_sha256=request.POST.get("accepted_sha256", ""),
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except SERVICE_ERRORS as error:
        report_error(request, error)
    else:
        messages.success(request, _("You are registered for this challenge."))
    return redirect("challenge_detail", pk=challenge.pk)


@require_POST
@login_required
def clarification_ask(request, pk: int):
    challenge = challenge_for_user(request.user, pk)
    try:
        participation.clarification_ask(
            challenge_id=challenge.pk, user=request.user, question=request.POST.get("question", "")
        )
    except SERVICE_ERRORS as error:
        report_error(request, error)
    else:
        messages.success(request, _("Your question was sent to the Seeker."))
    return redirect("challenge_detail", pk=challenge.pk)


@require_POST
@login_required
def clarification_answer(request, pk: int, clarification_id: int):
    challenge = challenge_for_user(request.user, pk)
    clarification = get_object_or_404(challenge.clarifications, pk=clarification_id)
    try:
        participation.clarification_answer(
            clarification_id=clarification.pk,
            actor=request.user,
            answer=request.POST.get("answer", ""),
        )
    except SERVICE_ERRORS as error:
        report_error(request, error)
    else:
        messages.success(request, _("The answer is published."))
    return redirect("challenge_detail", pk=challenge.pk)
