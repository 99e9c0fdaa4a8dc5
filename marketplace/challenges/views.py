"""Pages everyone can open: the landing page, the catalogue, a challenge's page (with
the agreement gate in front of the full brief) and the terms of use."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from marketplace.accounts.signup import site_terms
from marketplace.challenges import permissions
from marketplace.challenges.forms import CatalogueForm
from marketplace.challenges.models import ChallengeState
from marketplace.challenges.permissions import can_read_brief
from marketplace.challenges.selectors import (
    CatalogueQuery,
    catalogue,
    challenge_for_user,
    clarifications_for,
)
from marketplace.challenges.states import QUESTIONS_ANSWERABLE
from marketplace.lifecycle.services import available_transitions
from marketplace.participation.agreements import challenge_agreement
from marketplace.submissions.models import SubmissionState

HOME_CHALLENGES = 3


def home(request):
    newest = catalogue(CatalogueQuery(sort="newest"))[:HOME_CHALLENGES]
    return render(request, "marketplace/home.html", {"challenges": newest})


def catalogue_page(request):
    form = CatalogueForm(request.GET)
    paginator = Paginator(catalogue(form.query()), settings.MARKETPLACE["CATALOGUE_PAGE_SIZE"])
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "marketplace/catalogue.html", {"form": form, "page": page})


def challenge_detail(request, pk: int):
    user = request.user
    challenge = challenge_for_user(user, pk)
    staff = permissions.is_staff(user)
    member = permissions.is_member(user, challenge)
    editor = permissions.is_editor(user, challenge)
    registration = (
        challenge.registrations.select_related("acceptance__template").filter(user=user).first()
        if user.is_authenticated
        else None
    )
    registered = registration is not None
    is_open = (
        challenge.state == ChallengeState.OPEN and challenge.submission_deadline > timezone.now()
    )
    reader = can_read_brief(user, challenge)
    can_register = user.is_authenticated and is_open and not member and not registered
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
        "submission_count": challenge.submissions.filter(state=SubmissionState.ACTIVE).count(),
        "awards": challenge.planned_awards.all(),
        "requirements": challenge.requirements.all() if reader else (),
        "attachments": challenge.attachments.all() if reader else (),
        "clarifications": clarifications_for(user, challenge),
        "can_ask": registered and challenge.state == ChallengeState.OPEN,
        "can_answer": editor and challenge.state in QUESTIONS_ANSWERABLE,
        "can_cancel": staff
        and any(t.name == "cancel" for t in available_transitions(challenge, user)),
    }
    return render(request, "marketplace/challenge_detail.html", context)


def terms(request):
    """The terms of use in force, as every new account accepts them."""
    return render(request, "marketplace/agreements/terms.html", {"terms": site_terms()})
