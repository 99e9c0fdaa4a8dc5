"""A person's role in a Seeker organisation, read through the `memberships` relation
(the membership rows live in `seekers`), cached on the user for the request."""

from marketplace.organisations.roles import EDITOR_ROLES


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


def is_org_editor(user, organization_id: int) -> bool:
    """Owners and managers write and steer their organisation's challenges."""
    return org_role(user, organization_id) in EDITOR_ROLES
