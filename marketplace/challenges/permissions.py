"""Who a person is to a challenge, and what they may do with it. Roles come from the
Seeker organisation's memberships; registrations and judge assignments are read through
the challenge's reverse relations, so nothing here imports the domains above."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from marketplace.accounts.permissions import is_staff
from marketplace.core.errors import NotAllowed
from marketplace.organisations.permissions import is_org_editor, org_role
from marketplace.organisations.roles import JUDGING_ROLES, OrgRole

if TYPE_CHECKING:
    from marketplace.challenges.models import Challenge


def is_member(user, challenge: Challenge) -> bool:
    return org_role(user, challenge.organization_id) is not None


def is_editor(user, challenge: Challenge) -> bool:
    """Owners and managers write and steer their organisation's challenges."""
    return is_org_editor(user, challenge.organization_id)


def is_owner(user, challenge: Challenge) -> bool:
    return org_role(user, challenge.organization_id) == OrgRole.OWNER


def is_registered(user, challenge: Challenge) -> bool:
    """Registered as a solver of the challenge."""
    if not getattr(user, "is_authenticated", False):
        return False
    return challenge.registrations.filter(user=user).exists()


def _assignment(user, challenge: Challenge) -> bool | None:
    """None if the user is not assigned to judge the challenge, else whether they were
    invited from outside the organisation (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_judging", {})
    if challenge.pk not in cache:
        cache[challenge.pk] = (
            challenge.judge_assignments.filter(judge=user).values_list("outside", flat=True).first()
        )
    return cache[challenge.pk]


def is_assigned_judge(user, challenge: Challenge) -> bool:
    """Assigned to judge the challenge (whatever their role is now: see is_active_judge)."""
    return _assignment(user, challenge) is not None


def is_active_judge(user, challenge: Challenge) -> bool:
    """Assigned to the challenge, and either invited from outside the organisation (the
    assignment is all they hold) or still holding a judging role in it."""
    outside = _assignment(user, challenge)
    if outside is None:
        return False
    return outside or org_role(user, challenge.organization_id) in JUDGING_ROLES


def require_owner_or_staff(user, challenge: Challenge) -> None:
    """NotAllowed unless the user owns the challenge's organisation or is staff."""
    if not (is_owner(user, challenge) or is_staff(user)):
        raise NotAllowed(_("Only the challenge's owners can do this."))


def can_view(user, challenge: Challenge) -> bool:
    """Published challenges are public; earlier states only for members, its judges
    and staff."""
    return (
        challenge.is_published
        or is_staff(user)
        or is_member(user, challenge)
        or is_active_judge(user, challenge)
    )


def can_read_brief(user, challenge: Challenge) -> bool:
    """The full brief and attachments: registered solvers, the Seeker's members, the
    challenge's judges, staff."""
    return (
        is_staff(user)
        or is_member(user, challenge)
        or is_active_judge(user, challenge)
        or is_registered(user, challenge)
    )
