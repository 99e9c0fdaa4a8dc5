"""Solvers' identity: their profile, and the teams they form to answer a challenge.
Rules live in `services.py`; the constraints here are the database's last word."""

import unicodedata
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from marketplace.teams.states import FULL_SHARE_BPS, TeamMemberState

# CLDR (through Babel) also names regions that ISO 3166-1 does not assign: exceptionally
# reserved codes, groupings, pseudo-regions, Kosovo's user-assigned code and "unknown".
# Without them the list is the 249 officially assigned alpha-2 codes.
NOT_ISO_3166 = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes."""
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166
    )


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@cache
def _choices_in(language: str) -> tuple[tuple[str, str], ...]:
    try:
        names = Locale.parse(language, sep="-").territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    return tuple(
        sorted(
            ((code, names.get(code, code)) for code in country_codes()),
            key=lambda choice: _sort_key(choice[1]),
        )
    )


def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs, named and sorted in the active language."""
    return _choices_in(translation.get_language() or settings.LANGUAGE_CODE)


class SolverProfile(models.Model):
    """How a solver presents themselves. Private unless the solver makes it public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="solver_profile"
    )
    display_name = models.CharField(_("display name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, blank=True, choices=country_choices)
    expertise = models.JSONField(
        _("expertise"),
        default=list,
        blank=True,
        help_text=_("Up to 20 short tags, lower-case."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public profile"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("solver profile")
        verbose_name_plural = _("solver profiles")

    def __str__(self) -> str:
        return self.display_name


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
