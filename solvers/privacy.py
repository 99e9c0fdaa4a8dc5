"""The solver profile in a person's export, and cleared on their erasure (named in
settings.PERSONAL_DATA_SECTIONS and PERSONAL_DATA_ERASERS)."""

from solvers.models import SolverProfile


def profile_data(user) -> tuple[str, dict | None]:
    profile = SolverProfile.objects.filter(user=user).first()
    if profile is None:
        return "solver_profile", None
    return "solver_profile", {
        "display_name": profile.display_name,
        "country": profile.country,
        "expertise": profile.expertise,
        "organisation": profile.organisation,
        "is_public": profile.is_public,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def profile_erase(user) -> None:
    """The profile keeps only the anonymised name, private."""
    SolverProfile.objects.filter(user=user).update(
        display_name=user.full_name, country="", expertise=[], organisation="", is_public=False
    )
