"""Reads of a challenge's questions and answers, with who-may-see-what applied."""

from django.db.models import Q, QuerySet

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge
from marketplace.challenges.permissions import is_member, is_registered
from marketplace.participation.models import Clarification


def clarifications_for(user, challenge: Challenge) -> QuerySet[Clarification]:
    """Answered questions for everyone who may take part (registered solvers), the
    Seeker's members and staff; each solver also sees their own unanswered questions."""
    qs = challenge.clarifications.select_related("asked_by")
    if is_staff(user) or is_member(user, challenge):
        return qs
    if not is_registered(user, challenge):
        return qs.none()
    return qs.filter(Q(answered_at__isnull=False) | Q(asked_by=user))
