from types import SimpleNamespace

import pytest

from marketplace.challenges.models import ChallengeState as S
from marketplace.teams import services
from tests.factories import ChallengeFactory, RegistrationFactory, StaffFactory, UserFactory


@pytest.fixture
def cast(db):
    """An open challenge and a team on it: captain and member (both registered), a
    pending invitee, a registered solver outside the team, and staff."""
    challenge = ChallengeFactory(state=S.OPEN, plan=False)
    captain, member, invitee, other = (
        UserFactory(full_name=name)
        for name in ("Ada Captain", "Ben Member", "Cy Invitee", "Di Other")
    )
    for user in (captain, member, other):
        RegistrationFactory(challenge=challenge, user=user)
    team = services.team_create(challenge_id=challenge.pk, captain=captain, name="Tide")
    services.team_invite(team_id=team.pk, actor=captain, email=member.email)
    services.team_invitation_respond(team_id=team.pk, user=member, accept=True)
    services.team_invite(team_id=team.pk, actor=captain, email=invitee.email)
    return SimpleNamespace(
        challenge=challenge,
        team=team,
        captain=captain,
        member=member,
        invitee=invitee,
        other=other,
        staff=StaffFactory(),
    )


def shares_of(team) -> dict:
    """{user id: (state, share)} of every row of the team."""
    return {m.user_id: (m.state, m.share_bps) for m in team.members.order_by("pk")}
