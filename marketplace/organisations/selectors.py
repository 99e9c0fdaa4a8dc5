"""Reads for Seeker organisations."""

from django.db.models import QuerySet
from django.http import Http404

from marketplace.accounts.models import User
from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.organisations.roles import EDITOR_ROLES


def organizations_of(user) -> QuerySet[Organization]:
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def organization_for_member(user, pk: int) -> Organization:
    """The organisation if the user belongs to it (or is staff); 404 otherwise."""
    qs = Organization.objects.all() if user.is_staff else organizations_of(user)
    org = qs.filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def members_of(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__email")


def pending_invitations(organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def editors_of(organization_id: int) -> QuerySet[User]:
    """The organisation's owners and managers: the people who hear of its challenges."""
    return User.objects.filter(
        memberships__organization_id=organization_id, memberships__role__in=EDITOR_ROLES
    )
