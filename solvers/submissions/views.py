"""A solver's submission pages: submit (alone or for the team they captain), my
submissions, one submission with the receipt of every version, edit and withdraw.

Only the authors and staff open these pages; for everyone else they do not exist (404).
The form works as a plain POST; `static/js/upload.js` sends the same form with
XMLHttpRequest to show upload progress, and then gets JSON back: `{"redirect": url}` or
`{"errors": {field: [message, ...]}}` ("__all__" for the form as a whole). Refusals
re-render the form with what was typed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.challenges.permissions import is_registered
from marketplace.challenges.selectors import accepts_submissions, challenge_for_user
from marketplace.core.feedback import ServiceRefusal
from marketplace.submissions import services as service
from marketplace.submissions.permissions import can_change
from marketplace.submissions.selectors import (
    captained_teams,
    receipts_of,
    submission_for_author,
    submissions_of,
)
from solvers.submissions.forms import SubmissionEditForm, SubmissionForm


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _too_large(request, form) -> bool:
    """The upload handler stopped a file over the size limit: say so on the files field
    (nothing was saved; the fields sent before the file are kept)."""
    if not getattr(request, "upload_too_large", False):
        return False
    form.add_error(
        "files",
        _("A file is larger than %(limit)s, so nothing was saved. Choose a smaller file.")
        % {"limit": filesizeformat(settings.SUBMISSION_MAX_FILE_BYTES)},
    )
    return True


def _done(request, url: str):
    if _wants_json(request):
        return JsonResponse({"redirect": url})
    return redirect(url)


def _form_page(request, template: str, context: dict, status: int):
    form = context["form"]
    if _wants_json(request) and form.errors:
        errors = {field: [str(e) for e in texts] for field, texts in form.errors.items()}
        return JsonResponse({"errors": errors}, status=status)
    return render(request, template, context, status=status)


@login_required
def submission_new(request, challenge_pk: int):
    challenge = challenge_for_user(request.user, challenge_pk)
    teams = list(captained_teams(request.user, challenge))
    form = SubmissionForm(request.POST or None, request.FILES or None, teams=teams)
    status = 200
    if request.method == "POST":
        status = 400
        if not _too_large(request, form) and form.is_valid():
            data = form.cleaned_data
            with ServiceRefusal(request, form, whole_form=True) as refusal:
                submission = service.submission_create(
                    challenge_id=challenge.pk,
                    author=request.user,
                    title=data["title"],
                    abstract=data["abstract"],
                    body=data["body"],
                    uploads=data["files"],
                    team_id=data.get("team"),
                )
                messages.success(
                    request,
                    _(
                        "Your submission was received. Its receipt is below and on its way by e-mail."
                    ),
                )
                return _done(request, reverse("solvers:submission_detail", args=[submission.pk]))
            status = refusal.status
    context = {
        "form": form,
        "challenge": challenge,
        "registered": is_registered(request.user, challenge),
        "is_open": accepts_submissions(challenge),
        "max_bytes": settings.SUBMISSION_MAX_FILE_BYTES,
    }
    return _form_page(request, "solvers/submissions/form.html", context, status)


@login_required
def my_submissions(request):
    return render(
        request, "solvers/submissions/list.html", {"submissions": submissions_of(request.user)}
    )


@login_required
def submission_detail(request, pk: int):
    submission = submission_for_author(request.user, pk)
    return render(
        request,
        "solvers/submissions/detail.html",
        {
            "submission": submission,
            "challenge": submission.challenge,
            "receipts": receipts_of(submission),
            "can_change": can_change(request.user, submission),
        },
    )


@login_required
def submission_edit(request, pk: int):
    submission = submission_for_author(request.user, pk)
    if request.method != "POST" and not can_change(request.user, submission):
        messages.error(request, _("This submission can no longer be changed."))
        return redirect("solvers:submission_detail", pk=submission.pk)
    form = SubmissionEditForm.for_submission(
        submission, request.POST or None, request.FILES or None
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not _too_large(request, form) and form.is_valid():
            data = form.cleaned_data
            with ServiceRefusal(request, form, whole_form=True) as refusal:
                service.submission_update(
                    submission_id=submission.pk,
                    actor=request.user,
                    title=data["title"],
                    abstract=data["abstract"],
                    body=data["body"],
                    uploads=data["files"],
                    remove_file_ids=data.get("remove", []),
                )
                messages.success(request, _("Saved as a new version, with its own receipt."))
                return _done(request, reverse("solvers:submission_detail", args=[submission.pk]))
            status = refusal.status
    context = {
        "form": form,
        "submission": submission,
        "challenge": submission.challenge,
        "max_bytes": settings.SUBMISSION_MAX_FILE_BYTES,
    }
    return _form_page(request, "solvers/submissions/edit.html", context, status)


@login_required
@require_POST
def submission_withdraw(request, pk: int):
    submission = submission_for_author(request.user, pk)
    with ServiceRefusal(request):
        service.submission_withdraw(submission_id=submission.pk, actor=request.user)
        messages.success(request, _("The submission is withdrawn. Its receipt records when."))
    return redirect("solvers:submission_detail", pk=submission.pk)
