"""Values every page template can use."""

from functools import cache

from marketplace.organisations.selectors import organizations_of


def organisation_membership(request) -> dict:
    """Whether the signed-in reader belongs to an organisation (the navigation then
    shows the Seeker dashboard). The template calls it: one query, only if the page
    asks, and only once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"in_organisation": cache(lambda: organizations_of(user).exists())}
