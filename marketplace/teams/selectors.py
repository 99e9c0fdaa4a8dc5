"""Reads for solver teams, with who-may-see-what applied: a team is its members' and
invitees' and staff's. Anything else is a 404."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge
from marketplace.challenges.selectors import challenges_registered_by
from marketplace.teams.models import Team, TeamMember
from marketplace.teams.states import PLACED, TeamMemberState


def _with_members(qs: QuerySet[Team]) -> QuerySet[Team]:
    members = TeamMember.objects.select_related("user__solver_profile").order_by("invited_at", "pk")
    return qs.select_related("challenge", "captain").prefetch_related(
        Prefetch("members", queryset=members)
    )


def teams_of(user) -> QuerySet[Team]:
    """The teams the user is in or invited to, soonest deadline first, annotated with
    the user's own `my_state` and `my_share_bps`."""
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    mine = TeamMember.objects.filter(team=OuterRef("pk"), user=user)
    return (
        _with_members(Team.objects.filter(members__user=user, members__state__in=PLACED))
        .annotate(
            my_state=Subquery(mine.values("state")[:1]),
            my_share_bps=Subquery(mine.values("share_bps")[:1]),
        )
        .order_by("challenge__submission_deadline", "pk")
    )


def team_for_user(user, pk: int) -> Team:
    """The team if the user is in it or invited to it, or is staff; 404 otherwise."""
    qs = Team.objects.filter(pk=pk)
    if not is_staff(user):
        qs = qs.filter(members__user=user, members__state__in=PLACED)
    team = _with_members(qs).first()
    if team is None:
        raise Http404
    return team


def membership_of(team: Team, user) -> TeamMember | None:
    """The user's row in the team (from the prefetched members), if any."""
    return next((m for m in team.members.all() if m.user_id == user.pk), None)


def challenges_with_my_team(user) -> QuerySet[Challenge]:
    """The challenges the user registered for (see `challenges_registered_by`), each
    with the id and name of the team the user is active in for it, if any."""
    team = TeamMember.objects.filter(
        challenge=OuterRef("pk"), user=user, state=TeamMemberState.ACTIVE
    )
    return challenges_registered_by(user).annotate(
        my_team_id=Subquery(team.values("team_id")[:1]),
        my_team_name=Subquery(team.values("team__name")[:1]),
    )
