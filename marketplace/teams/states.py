"""States of a solver team's members."""

from django.db import models
from django.utils.translation import gettext_lazy as _

FULL_SHARE_BPS = 10_000  # a team's shares, in basis points, add up to this


class TeamMemberState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# In the team, or invited to join it.
PLACED = (TeamMemberState.INVITED, TeamMemberState.ACTIVE)
