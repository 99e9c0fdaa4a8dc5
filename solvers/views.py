"""Pages of a solver's own participation."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from marketplace.selectors import challenges_registered_by


@login_required
def my_challenges(request):
    """The challenges this user registered for, soonest deadline first."""
    challenges = challenges_registered_by(request.user)
    return render(request, "solvers/my_challenges.html", {"challenges": challenges})
