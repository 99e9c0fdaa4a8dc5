"""The challenge editor: write a new draft, or change a draft. Owners and managers only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from marketplace.challenges.models import ChallengeState
from marketplace.challenges.services import challenge_create, challenge_update
from marketplace.core.feedback import ServiceRefusal
from marketplace.organisations.permissions import is_org_editor
from marketplace.organisations.selectors import organization_for_member
from seekers.forms import ChallengeEditor
from seekers.views.access import editable_challenge


def _render(request, editor: ChallengeEditor, **context):
    status = 400 if request.method == "POST" else 200
    return render(
        request, "seekers/challenge_editor.html", {"editor": editor, **context}, status=status
    )


@login_required
def create(request, org_pk):
    org = organization_for_member(request.user, org_pk)
    if not is_org_editor(request.user, org.pk):
        raise Http404
    editor = ChallengeEditor(request.POST or None)
    if request.method == "POST" and editor.is_valid():
        with ServiceRefusal(request, editor):
            challenge = challenge_create(
                organization_id=org.pk, actor=request.user, data=editor.to_input()
            )
            messages.success(request, _("Draft saved."))
            return redirect("seekers:challenge_manage", pk=challenge.pk)
    return _render(request, editor, org=org)


@login_required
def edit(request, pk):
    challenge = editable_challenge(request.user, pk)
    if challenge.state != ChallengeState.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("seekers:challenge_manage", pk=challenge.pk)
    editor = ChallengeEditor(request.POST or None, challenge=challenge)
    if request.method == "POST" and editor.is_valid():
        with ServiceRefusal(request, editor) as refusal:
            challenge_update(challenge_id=challenge.pk, actor=request.user, data=editor.to_input())
            messages.success(request, _("Draft saved."))
        if not refusal.on_form:
            return redirect("seekers:challenge_manage", pk=challenge.pk)
    return _render(request, editor, org=challenge.organization, challenge=challenge)
