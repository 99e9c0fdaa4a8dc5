"""The public pages of open ideation: one idea with its comments, and the POST steps
everyone shares (support or withdraw it, comment, report). Supporting works as a plain
form; `static/js/ideas.js` sends the same form with fetch() and gets JSON back
(`{"count": n, "supported": bool}`, or `{"error": text}` with the refusal's status)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.permissions import has_any_verified_email, is_staff
from marketplace.challenges.permissions import is_owner
from marketplace.challenges.states import SUBMISSIONS_REVEALED
from marketplace.core.clients import client_ip
from marketplace.core.feedback import ServiceRefusal, refusal_texts
from marketplace.ideation import services
from marketplace.ideation.models import COMMENT_MAX
from marketplace.ideation.permissions import can_read_idea, supports_open
from marketplace.ideation.selectors import comments_of, idea_support_count, supports
from marketplace.submissions.models import Submission
from marketplace.submissions.permissions import is_author


def idea_or_404(user, pk: int) -> Submission:
    submission = (
        Submission.objects.select_related("challenge__organization", "author", "idea")
        .filter(pk=pk)
        .first()
    )
    if submission is None or not can_read_idea(user, submission):
        raise Http404
    return submission


def idea_detail(request, pk: int):
    user = request.user
    submission = idea_or_404(user, pk)
    challenge = submission.challenge
    author = is_author(user, submission)
    context = {
        "idea": submission,
        "challenge": challenge,
        "state": getattr(submission, "idea", None),
        "count": idea_support_count(submission),
        "supported": supports(user, submission),
        "is_author": author,
        "can_support": supports_open(challenge) and not author,
        "can_comment": has_any_verified_email(user),
        "is_owner": is_owner(user, challenge),
        "can_review": is_owner(user, challenge) and challenge.state in SUBMISSIONS_REVEALED,
        "is_staff": is_staff(user),
        "comments": comments_of(submission),
        "comment_max": COMMENT_MAX,
    }
    return render(request, "marketplace/ideation/idea.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@login_required
def idea_support(request, pk: int):
    submission = idea_or_404(request.user, pk)
    withdraw = request.POST.get("action") == "withdraw"
    with ServiceRefusal(request) as refusal:
        if withdraw:
            count = services.idea_support_withdraw(submission_id=submission.pk, user=request.user)
        else:
            count = services.idea_support(
                submission_id=submission.pk, user=request.user, ip=client_ip(request)
            )
        if _wants_json(request):
            return JsonResponse({"count": count, "supported": not withdraw})
        messages.success(
            request,
            _("Your support was withdrawn.") if withdraw else _("You support this idea."),
        )
    if refusal.error is not None and _wants_json(request):
        list(messages.get_messages(request))  # shown in the JSON instead of the next page
        return JsonResponse(
            {"error": " ".join(refusal_texts(refusal.error))}, status=refusal.status
        )
    return redirect(request.POST.get("next") or reverse("idea_detail", args=[submission.pk]))


@require_POST
@login_required
def idea_comment(request, pk: int):
    submission = idea_or_404(request.user, pk)
    with ServiceRefusal(request):
        services.idea_comment(
            submission_id=submission.pk, author=request.user, body=request.POST.get("body", "")
        )
        messages.success(request, _("Your comment is published."))
    return redirect(reverse("idea_detail", args=[submission.pk]) + "#comments")


@require_POST
@login_required
def idea_report(request, pk: int):
    submission = idea_or_404(request.user, pk)
    comment = request.POST.get("comment") or None
    with ServiceRefusal(request):
        services.idea_report(
            submission_id=submission.pk,
            reporter=request.user,
            reason=request.POST.get("reason", ""),
            comment_id=int(comment) if comment and comment.isdigit() else None,
        )
        messages.success(request, _("Thank you: staff will look at it."))
    return redirect("idea_detail", pk=submission.pk)
