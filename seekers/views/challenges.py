"""One challenge as its Seeker sees it: content, transition log, actions, deadline
extension and attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.attachments import attachment_add, attachment_remove
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_editor
from marketplace.challenges.selectors import early_close_of
from marketplace.challenges.states import DEADLINE_EXTENDABLE
from marketplace.challenges.transitions import available_transitions
from marketplace.core.feedback import ServiceRefusal
from marketplace.lifecycle.history import challenge_history
from marketplace.lifecycle.services import challenge_extend_deadline, challenge_transition
from seekers.forms import AttachmentForm, ExtendDeadlineForm, ReasonForm
from seekers.views.access import challenge_for_seeker, next_url
from seekers.views.closing import close_early_mode
from seekers.views.funding import funding_context, stripe_policy

STATE_LABELS = dict(ChallengeState.choices)


def _page(request, challenge: Challenge, *, extend_form=None, attachment_form=None, status=200):
    user = request.user
    editor = is_editor(user, challenge)
    can_extend = challenge.state in DEADLINE_EXTENDABLE and (editor or is_staff(user))
    if can_extend and extend_form is None:
        extend_form = ExtendDeadlineForm(
            initial={"submission_deadline": challenge.submission_deadline}
        )
    events = [
        (
            event,
            sentence,
            STATE_LABELS.get(event.from_state, event.from_state),
            STATE_LABELS.get(event.to_state, event.to_state),
        )
        for event, sentence in challenge_history(challenge)
    ]
    context = {
        "challenge": challenge,
        "requirements": challenge.requirements.all(),
        "awards": challenge.planned_awards.all(),
        "attachments": challenge.attachments.all(),
        "judges": [a.judge for a in challenge.judge_assignments.select_related("judge")],
        "events": events,
        # Closing early has its own confirmation page (it may need staff's approval).
        "actions": [t for t in available_transitions(challenge, user) if t.name != "close_early"],
        "close_early_mode": close_early_mode(challenge, user)[0],
        "closed_early": early_close_of(challenge),
        "can_edit": editor and challenge.state == ChallengeState.DRAFT,
        "extend_form": extend_form if can_extend else None,
        "attachment_form": attachment_form or AttachmentForm(),
        **funding_context(request, challenge),
    }
    response = render(request, "seekers/challenge_manage.html", context, status=status)
    if "card" in context:
        response._csp_update = stripe_policy()
    return response


@login_required
def manage(request, pk):
    return _page(request, challenge_for_seeker(request.user, pk))


@login_required
@require_POST
def transition(request, pk, name):
    challenge = challenge_for_seeker(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
    else:
        with ServiceRefusal(request):
            challenge = challenge_transition(
                challenge_id=challenge.pk,
                name=name,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("“%(title)s” is now %(state)s.")
                % {"title": challenge.title, "state": challenge.get_state_display()},
            )
    return redirect(next_url(request, reverse("seekers:challenge_manage", args=[challenge.pk])))


@login_required
@require_POST
def extend_deadline(request, pk):
    challenge = challenge_for_seeker(request.user, pk)
    form = ExtendDeadlineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with ServiceRefusal(request, form) as refusal:
            challenge_extend_deadline(
                challenge_id=challenge.pk,
                actor=request.user,
                new_deadline=data["submission_deadline"],
                reason=data["reason"],
                new_judging_deadline=data["judging_deadline"],
            )
            messages.success(request, _("The deadline was extended."))
        if not refusal.on_form:
            return redirect("seekers:challenge_manage", pk=challenge.pk)
    return _page(request, challenge, extend_form=form, status=400)


@login_required
@require_POST
def attachment_upload(request, pk):
    challenge = challenge_for_seeker(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            attachment = attachment_add(
                challenge_id=challenge.pk, actor=request.user, upload=form.cleaned_data["file"]
            )
            messages.success(request, _("“%(name)s” attached.") % {"name": attachment.name})
        if not refusal.on_form:
            return redirect("seekers:challenge_manage", pk=challenge.pk)
    return _page(request, challenge, attachment_form=form, status=400)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    challenge = challenge_for_seeker(request.user, pk)
    attachment = get_object_or_404(challenge.attachments, pk=attachment_pk)
    with ServiceRefusal(request):
        attachment_remove(attachment_id=attachment.pk, actor=request.user)
        messages.success(request, _("“%(name)s” removed.") % {"name": attachment.name})
    return redirect("seekers:challenge_manage", pk=challenge.pk)
