"""Pages of a solver's own participation: my challenges and teams, my profile, public
profiles, and a team's page with what each member may do there. Reads go through
`selectors`, writes through `services`; refusals come back as messages or form errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.feedback import ServiceRefusal
from marketplace.teams import services as team_services
from marketplace.teams.rules import team_blockers
from marketplace.teams.selectors import (
    challenges_with_my_team,
    membership_of,
    team_for_user,
    teams_of,
)
from marketplace.teams.states import TeamMemberState
from solvers import services
from solvers.forms import ProfileForm, SharesForm, TeamForm, TeamInviteForm
from solvers.selectors import profile_for_viewer


@login_required
def my_challenges(request):
    """The challenges this user registered for, soonest deadline first, and their teams."""
    return render(
        request,
        "solvers/my_challenges.html",
        {
            "challenges": challenges_with_my_team(request.user),
            "teams": teams_of(request.user),
        },
    )


def _back_to(request) -> str:
    """The page that sent the person here (`?next=`), if it is on this site; else ""."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def profile_edit(request):
    """My profile. Opened with `?next=` (the award page sends a winner here for their full
    name), saving it goes back there."""
    profile = services.profile_get_or_create(user=request.user)
    form = ProfileForm.for_profile(profile, request.POST or None)
    back = _back_to(request)
    if request.method == "POST" and form.is_valid():
        with ServiceRefusal(request, form):
            services.profile_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your profile is saved."))
            return redirect(back or "solvers:profile_edit")
    return render(
        request,
        "solvers/profile_form.html",
        {"form": form, "profile": profile},
        status=400 if form.errors else 200,
    )


def profile_detail(request, pk):
    profile = profile_for_viewer(request.user, pk)
    return render(request, "solvers/profile_detail.html", {"profile": profile})


@login_required
def team_create(request, challenge_pk):
    challenge = challenge_for_user(request.user, challenge_pk)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with ServiceRefusal(request, form, whole_form=True):
            team = team_services.team_create(
                challenge_id=challenge.pk, captain=request.user, name=form.cleaned_data["name"]
            )
            messages.success(
                request, _("Team “%(name)s” formed. You are its captain.") % {"name": team.name}
            )
            return redirect("solvers:team_detail", pk=team.pk)
    return render(
        request,
        "solvers/team_form.html",
        {"form": form, "challenge": challenge},
        status=400 if form.errors else 200,
    )


def _team_page(request, team, *, invite_form=None, shares_form=None, status=200):
    mine = membership_of(team, request.user)
    active = [m for m in team.members.all() if m.state == TeamMemberState.ACTIVE]
    is_captain = team.captain_id == request.user.pk
    return render(
        request,
        "solvers/team_detail.html",
        {
            "team": team,
            "members": team.members.all(),
            "mine": mine,
            "is_captain": is_captain,
            "captain_alone": is_captain and len(active) == 1,
            "is_final": team_services.team_is_final(team),
            "not_ready": team_blockers(team),
            "invite_form": invite_form or TeamInviteForm(),
            "shares_form": shares_form or SharesForm(active),
        },
        status=status,
    )


@login_required
def team_detail(request, pk):
    return _team_page(request, team_for_user(request.user, pk))


@login_required
@require_POST
def team_invite(request, pk):
    team = team_for_user(request.user, pk)
    form = TeamInviteForm(request.POST)
    if form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            member = team_services.team_invite(
                team_id=team.pk, actor=request.user, email=form.cleaned_data["email"]
            )
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": member.user.email}
            )
        if not refusal.on_form:
            return redirect("solvers:team_detail", pk=team.pk)
    return _team_page(request, team, invite_form=form, status=400)


@login_required
@require_POST
def team_shares(request, pk):
    team = team_for_user(request.user, pk)
    active = [m for m in team.members.all() if m.state == TeamMemberState.ACTIVE]
    form = SharesForm(active, request.POST)
    if form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            team_services.team_set_shares(team_id=team.pk, actor=request.user, shares=form.shares())
            messages.success(request, _("The shares are saved."))
        if not refusal.on_form:
            return redirect("solvers:team_detail", pk=team.pk)
    return _team_page(request, team, shares_form=form, status=400)


@login_required
@require_POST
def team_respond(request, pk):
    team = team_for_user(request.user, pk)
    accept = request.POST.get("accept") == "1"
    with ServiceRefusal(request):
        team_services.team_invitation_respond(team_id=team.pk, user=request.user, accept=accept)
        if not accept:
            messages.success(request, _("You declined the invitation."))
            return redirect("solvers:my_challenges")
        messages.success(request, _("You joined the team “%(name)s”.") % {"name": team.name})
    return redirect("solvers:team_detail", pk=team.pk)


@login_required
@require_POST
def team_withdraw(request, pk, user_pk):
    """A member leaves (their own row) or the captain removes someone."""
    team = team_for_user(request.user, pk)
    with ServiceRefusal(request):
        member = team_services.team_member_withdraw(
            team_id=team.pk, user_id=user_pk, actor=request.user
        )
        if member.user_id == request.user.pk:
            messages.success(request, _("You left the team “%(name)s”.") % {"name": team.name})
            return redirect("solvers:my_challenges")
        messages.success(
            request, _("%(member)s is no longer in the team.") % {"member": member.user}
        )
    return redirect("solvers:team_detail", pk=team.pk)
