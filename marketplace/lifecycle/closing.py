"""What closing a challenge does beyond its state, in the transition's transaction:
teams' shares become final, the owners and managers hear how many entries came in at
the deadline, and an early close makes its moment the submission deadline and tells
every solver taking part why."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.challenges.models import Challenge
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import Notice, notifications_send, notifications_send_many
from marketplace.organisations.models import Membership
from marketplace.organisations.roles import EDITOR_ROLES
from marketplace.submissions.models import Submission, SubmissionState
from marketplace.teams.models import Team
from marketplace.teams.states import TeamMemberState


def teams_freeze(challenge: Challenge, now) -> None:
    """From the close on, a team and its split are final."""
    Team.objects.filter(challenge=challenge, shares_frozen_at__isnull=True).update(
        shares_frozen_at=now
    )


def solvers_taking_part(challenge: Challenge):
    """Registered solvers, authors of entries not withdrawn, and the active members of
    the teams that submitted them; each once."""
    entries = Q(submissions__challenge=challenge, submissions__state=SubmissionState.ACTIVE)
    teams = Q(
        team_memberships__team__submissions__challenge=challenge,
        team_memberships__team__submissions__state=SubmissionState.ACTIVE,
        team_memberships__state=TeamMemberState.ACTIVE,
    )
    found = User.objects.filter(Q(registrations__challenge=challenge) | entries | teams)
    return User.objects.filter(pk__in=found.values("pk")).order_by("pk")


def early_close_apply(challenge: Challenge, reason: str) -> dict:
    """The submission deadline becomes now (the old one is kept in the event's details,
    as for an extension); the solvers taking part are notified (e-mailed after commit).
    Returns the details the history row records."""
    now = timezone.now()
    old = challenge.submission_deadline
    challenge.submission_deadline = now
    teams_freeze(challenge, now)
    notifications_send(
        kind=NotificationKind.CLOSED_EARLY,
        users=solvers_taking_part(challenge),
        key=f"challenge:{challenge.pk}",
        challenge=challenge,
        params={"closed_at": now.isoformat(), "reason": reason},
    )
    return {"submission_deadline": [old.isoformat(), now.isoformat()]}


def submissions_closed_notify(closed: list[tuple[int, int, datetime]]) -> int:
    """Tell the owners and managers of each challenge closed at its deadline how many
    entries it received. `closed` holds (challenge id, organisation id, deadline) of
    rows the caller holds locked; a constant number of queries for any number of them."""
    entries = dict(
        Submission.objects.filter(
            challenge_id__in=[pk for pk, _org, _deadline in closed], state=SubmissionState.ACTIVE
        )
        .values("challenge_id")
        .annotate(n=Count("pk"))
        .values_list("challenge_id", "n")
    )
    editors = defaultdict(list)
    for organization_id, user_id in Membership.objects.filter(
        organization_id__in={org for _pk, org, _deadline in closed}, role__in=EDITOR_ROLES
    ).values_list("organization_id", "user_id"):
        editors[organization_id].append(user_id)
    return notifications_send_many(
        kind=NotificationKind.SUBMISSIONS_CLOSED,
        notices=[
            Notice(
                user_id=user_id,
                key=f"challenge:{pk}:{int(deadline.timestamp())}",
                challenge_id=pk,
                params={"entries": entries.get(pk, 0)},
            )
            for pk, organization_id, deadline in closed
            for user_id in editors[organization_id]
        ],
    )
