"""The Seeker dashboard: each of my organisations, its challenges by state, and what I
may do with each right now (for a judge, the entries still to score); then the
challenges I was invited to judge from outside their organisation."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.selectors import challenges_for_member
from marketplace.challenges.transitions import available_transitions
from marketplace.judging.selectors import challenges_judged_from_outside, entries_to_score
from marketplace.organisations.models import Organization
from marketplace.organisations.permissions import is_org_editor, org_role
from marketplace.organisations.roles import OrgRole
from marketplace.organisations.selectors import organizations_of


@dataclass
class StateGroup:
    state: ChallengeState
    rows: list[tuple[Challenge, list]] = field(default_factory=list)


@dataclass
class OrgPanel:
    org: Organization
    role: str
    can_edit: bool
    by_state: dict[str, StateGroup] = field(default_factory=dict)

    @property
    def groups(self) -> list[StateGroup]:
        """The challenges by state, in lifecycle order."""
        return [self.by_state[s] for s in ChallengeState.values if s in self.by_state]


@login_required
def dashboard(request):
    user = request.user
    panels = {}
    for org in organizations_of(user):
        role = org_role(user, org.pk)
        panels[org.pk] = OrgPanel(
            org=org, role=OrgRole(role).label, can_edit=is_org_editor(user, org.pk)
        )
    to_score = entries_to_score(user)
    for challenge in challenges_for_member(user):
        challenge.to_score = to_score.get(challenge.pk, 0)
        by_state = panels[challenge.organization_id].by_state
        group = by_state.setdefault(challenge.state, StateGroup(ChallengeState(challenge.state)))
        group.rows.append((challenge, available_transitions(challenge, user)))
    judged = list(challenges_judged_from_outside(user))
    for challenge in judged:
        challenge.to_score = to_score.get(challenge.pk, 0)
    return render(
        request, "seekers/dashboard.html", {"panels": list(panels.values()), "judged": judged}
    )
