"""Teams of solvers answering one challenge together, and their members. Rules live in
`services.py`; the constraints here are the database's last word. The tables keep the
names they were created with."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.teams.states import FULL_SHARE_BPS, TeamMemberState


class Team(models.Model):
    """Solvers answering one challenge together. The captain invites, removes and sets
    the shares of a prize, in basis points adding up to 10,000."""

    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=100)
    captain = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    shares_frozen_at = models.DateTimeField(
        _("shares frozen at"),
        null=True,
        blank=True,
        help_text=_("Set when the submission deadline passes; the split is final from then."),
    )

    class Meta:
        db_table = "solvers_team"
        ordering = ["challenge", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(Lower("name"), "challenge", name="team_name_once_per_challenge")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person's place in a team: invited, then active (with a share), declined or
    withdrawn. `challenge` repeats the team's so that the database itself allows one
    active team per person and challenge."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    share_bps = models.PositiveIntegerField(_("share (basis points)"), default=0)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=TeamMemberState.choices,
        default=TeamMemberState.INVITED,
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "solvers_teammember"
        ordering = ["team", "invited_at", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_once"),
            models.UniqueConstraint(
                fields=["challenge", "user"],
                condition=Q(state=TeamMemberState.ACTIVE),
                name="team_member_one_active_team_per_challenge",
            ),
            models.CheckConstraint(
                condition=Q(share_bps__lte=FULL_SHARE_BPS), name="team_member_share_at_most_all"
            ),
            models.CheckConstraint(
                condition=Q(state=TeamMemberState.ACTIVE) | Q(share_bps=0),
                name="team_member_share_only_when_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"

    @property
    def share_percent(self) -> Decimal:
        return Decimal(self.share_bps) / 100
