"""Following a Seeker organisation, to hear when it opens a challenge. Only an
organisation that shows its name on a published challenge can be followed, so an
anonymous Seeker cannot be found by trying ids."""

from django.db import transaction
from django.db.models import QuerySet

from marketplace.accounts.models import User
from marketplace.challenges.models import Challenge
from marketplace.challenges.states import PUBLISHED
from marketplace.notifications.models import NotificationKind, OrganizationFollow
from marketplace.notifications.services import notifications_send

# Organisations (in `seekers`) reached through the challenge's relation.
ORGANIZATIONS = Challenge._meta.get_field("organization").related_model


def _followable(organization_id: int):
    """The organisation if it is publicly known; DoesNotExist (404) otherwise."""
    return (
        ORGANIZATIONS.objects.filter(challenges__state__in=PUBLISHED, challenges__hide_seeker=False)
        .distinct()
        .get(pk=organization_id)
    )


def organization_follow(*, organization_id: int, user) -> OrganizationFollow:
    """Follow an organisation (following twice keeps the first follow)."""
    organization = _followable(organization_id)
    with transaction.atomic(durable=True):
        # get_or_create also settles a concurrent follow of the same person.
        follow, _created = OrganizationFollow.objects.get_or_create(
            user=user, organization=organization
        )
    return follow


def organization_unfollow(*, organization_id: int, user) -> int:
    """Stop following; returns how many follows ended (0 if there was none)."""
    with transaction.atomic(durable=True):
        deleted, _rows = OrganizationFollow.objects.filter(
            user=user, organization_id=organization_id
        ).delete()
    return deleted


def follows_of(user) -> QuerySet[OrganizationFollow]:
    return OrganizationFollow.objects.filter(user=user).select_related("organization")


def followers_notify(*, challenge: Challenge) -> int:
    """Tell the followers of the challenge's organisation that it opened, unless the
    Seeker hides its name. Inside the caller's transaction; e-mails go after commit."""
    if challenge.hide_seeker:
        return 0
    return notifications_send(
        kind=NotificationKind.CHALLENGE_OPENED,
        users=User.objects.filter(follows__organization_id=challenge.organization_id),
        key=f"challenge:{challenge.pk}",
        challenge=challenge,
    )
