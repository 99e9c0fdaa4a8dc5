"""What a team needs before it may submit."""

from django.utils import formats
from django.utils.translation import gettext as _

from marketplace.participation.models import Registration
from marketplace.teams.states import FULL_SHARE_BPS, TeamMemberState


def team_blockers(team) -> list[str]:
    """Why the team cannot submit yet; empty when it can. Pending invitations do not
    count: only active members, whose shares must add up to 10,000 and who must each
    have accepted the challenge's agreement."""
    active = list(team.members.filter(state=TeamMemberState.ACTIVE).select_related("user"))
    if not active:
        return [_("The team has no members.")]
    reasons = []
    total = sum(m.share_bps for m in active)
    if total != FULL_SHARE_BPS:
        reasons.append(
            _("The shares add up to %(total)s basis points instead of 10,000.")
            % {"total": formats.number_format(total, use_l10n=True, force_grouping=True)}
        )
    registered = set(
        Registration.objects.filter(
            challenge_id=team.challenge_id, user_id__in=[m.user_id for m in active]
        ).values_list("user_id", flat=True)
    )
    for member in active:
        if member.user_id not in registered:
            reasons.append(
                _("%(name)s has not accepted the challenge's agreement yet.")
                % {"name": member.user}
            )
    return reasons
