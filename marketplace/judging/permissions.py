"""Who may use a challenge's judging: the workspace, and the choice of winners."""

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge
from marketplace.challenges.permissions import is_active_judge, is_owner


def can_use_workspace(user, challenge: Challenge) -> bool:
    """The judging workspace: the challenge's owners and its judges."""
    return is_owner(user, challenge) or is_active_judge(user, challenge)


def can_choose_winners(user, challenge: Challenge) -> bool:
    """The scoreboard and the awards: the challenge's owners and staff."""
    return is_owner(user, challenge) or is_staff(user)
