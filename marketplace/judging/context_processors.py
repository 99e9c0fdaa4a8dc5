"""Values every page template can use."""

from functools import cache


def outside_judging(request) -> dict:
    """Whether the signed-in reader judges a challenge from outside its organisation (the
    navigation then shows the dashboard that lists it). Called by the template only if
    the page asks, and only once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "judges_from_outside": cache(lambda: user.judge_assignments.filter(outside=True).exists())
    }
