"""Who may do what with a challenge. Roles come from the Seeker organisation's
memberships (read through the reverse relation, so the core imports nothing above it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from marketplace.challenges.states import SUBMISSIONS_REVEALED
from marketplace.core.errors import NotAllowed
from marketplace.organisations.roles import EDITOR_ROLES, JUDGING_ROLES, OrgRole

if TYPE_CHECKING:
    from marketplace.challenges.models import Challenge


def org_role(user, organization_id: int) -> str | None:
    """The user's role in the organisation, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_org_roles", {})
    if organization_id not in cache:
        cache[organization_id] = (
            user.memberships.filter(organization_id=organization_id)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organization_id]


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def is_editor(user, challenge: Challenge) -> bool:
    """Owners and managers write and steer their organisation's challenges."""
    return org_role(user, challenge.organization_id) in EDITOR_ROLES


def is_owner(user, challenge: Challenge) -> bool:
    return org_role(user, challenge.organization_id) == OrgRole.OWNER


def require_owner_or_staff(user, challenge: Challenge) -> None:
    """NotAllowed unless the user owns the challenge's organisation or is staff."""
    if not (is_owner(user, challenge) or is_staff(user)):
        raise NotAllowed(_("Only the challenge's owners can do this."))


def is_member(user, challenge: Challenge) -> bool:
    return org_role(user, challenge.organization_id) is not None


def can_view(user, challenge: Challenge) -> bool:
    """Published challenges are public; earlier states only for members and staff."""
    return challenge.is_published or is_staff(user) or is_member(user, challenge)


def can_read_brief(user, challenge: Challenge) -> bool:
    """The full brief and attachments: registered solvers, the Seeker's members, staff.
    (The agreement gate will make registration mean an accepted agreement.)"""
    if is_staff(user) or is_member(user, challenge):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and challenge.registrations.filter(user=user).exists()
    )


def submission_authors(submission) -> set[int]:
    """The user ids that own a submission: its author, or the team's active members."""
    from marketplace.teams.states import TeamMemberState

    if submission.team_id is None:
        return {submission.author_id}
    return set(
        submission.team.members.filter(state=TeamMemberState.ACTIVE).values_list(
            "user_id", flat=True
        )
    )


def is_assigned_judge(user, challenge: Challenge) -> bool:
    """Assigned to judge the challenge (whatever their role is now: see is_active_judge)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_judging", {})
    if challenge.pk not in cache:
        cache[challenge.pk] = challenge.judge_assignments.filter(judge=user).exists()
    return cache[challenge.pk]


def is_active_judge(user, challenge: Challenge) -> bool:
    """Assigned to the challenge and still holding a judging role in the organisation."""
    return (
        is_assigned_judge(user, challenge)
        and org_role(user, challenge.organization_id) in JUDGING_ROLES
    )


def is_submission_reader(user, challenge: Challenge) -> bool:
    """The challenge's owners and active judges, once submissions are revealed."""
    if challenge.state not in SUBMISSIONS_REVEALED:
        return False
    return is_owner(user, challenge) or is_active_judge(user, challenge)


def is_conflicted(user, submission) -> bool:
    """The judge declared a conflict of interest with this entry."""
    return submission.conflicts.filter(judge=user).exists()


def can_read_submission(user, submission) -> bool:
    """Authors and staff always; owners once revealed; an assigned judge once revealed
    unless conflicted with this entry."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_staff(user) or user.pk in submission_authors(submission):
        return True
    challenge = submission.challenge
    if not is_submission_reader(user, challenge):
        return False
    return is_owner(user, challenge) or not is_conflicted(user, submission)
