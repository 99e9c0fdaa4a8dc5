"""Roles a person can hold in a Seeker organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    JUDGE = "judge", _("Judge")


EDITOR_ROLES = (OrgRole.OWNER, OrgRole.MANAGER)
JUDGING_ROLES = (OrgRole.OWNER, OrgRole.JUDGE)  # may be assigned to judge a challenge
