"""Reads for solvers' profiles, with who-may-see-what applied: a private profile is its
owner's and staff's. Anything else is a 404."""

from django.http import Http404

from marketplace.accounts.permissions import is_staff
from solvers.models import SolverProfile


def profile_for_viewer(user, pk: int) -> SolverProfile:
    """A public profile, or a private one for its owner and staff; 404 otherwise."""
    profile = SolverProfile.objects.filter(pk=pk).first()
    if profile is None:
        raise Http404
    if not (profile.is_public or profile.user_id == user.pk or is_staff(user)):
        raise Http404
    return profile


def public_profile(pk: int) -> SolverProfile:
    profile = SolverProfile.objects.filter(pk=pk, is_public=True).first()
    if profile is None:
        raise Http404
    return profile
