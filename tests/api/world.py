"""A small world in which every API route names real objects, for the tests that walk
every route (OPTIONS, hostile bodies) and for the schema fuzz: a Seeker organisation
with an owner, a solver who won an award on one challenge and has a team and a
submission with a file on another, a question, a draft the solver may not see, an
invitation, a public profile, and staff. `urls()` lists every route under /api/ with
its ids filled in."""

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from marketplace.challenges.models import ChallengeState
from marketplace.core.api.notfound import NotFoundView
from marketplace.judging.invitations import judge_invitation_send
from marketplace.organisations.models import Invitation
from marketplace.organisations.roles import OrgRole
from solvers.models import SolverProfile
from tests.factories import (
    ChallengeFactory,
    JudgeAssignmentFactory,
    MembershipFactory,
    RegistrationFactory,
    TeamFactory,
    claim_awarded_challenge,
    idea_for,
    pdf_upload,
    submission_for,
)

ROLES = ("anonymous", "solver", "owner", "staff")


@dataclass
class World:
    people: dict
    challenges: list[int]  # open, awarding, draft (hidden from the solver)
    ids: dict = field(default_factory=dict)  # URL keyword -> id, by the route's first segment

    def token(self, role: str) -> dict:
        """Token auth headers for a role (none for anonymous)."""
        user = self.people[role]
        if user is None:
            return {}
        key = Token.objects.get_or_create(user=user)[0].key
        return {"Authorization": f"Token {key}"}


def build_world(org, owner, staff) -> World:
    awarded = claim_awarded_challenge(org, owner)
    solver = awarded.winner
    open_challenge = ChallengeFactory(organization=org, created_by=owner, state=ChallengeState.OPEN)
    RegistrationFactory(challenge=open_challenge, user=solver)
    team = TeamFactory(challenge=open_challenge, captain=solver)
    submission = submission_for(open_challenge, solver, team=team, files=[pdf_upload()])
    clarification = open_challenge.clarifications.create(
        asked_by=solver, question="Is sea water at 35 g/l enough?"
    )
    draft = ChallengeFactory(organization=org, created_by=owner)
    judge = MembershipFactory(organization=org, role=OrgRole.JUDGE)
    JudgeAssignmentFactory(challenge=awarded.challenge, judge=judge.user, assigned_by=owner)
    invitation = Invitation.objects.create(
        organization=org, email=solver.email, role=OrgRole.JUDGE, invited_by=owner
    )
    judge_invitation = judge_invitation_send(
        challenge_id=open_challenge.pk, actor=owner, email="reviewer@elsewhere.example"
    )
    ideas = ChallengeFactory(
        organization=org, created_by=owner, state=ChallengeState.OPEN, open_ideation=True
    )
    idea = idea_for(ideas, solver)
    comment = idea.comments.create(author=solver, body="A first thought.")
    profile = SolverProfile.objects.create(user=solver, display_name="Ada", is_public=True)
    segments = {
        "challenges": {
            "pk": open_challenge.pk,
            "user_id": judge.user_id,
            "invitation_id": judge_invitation.pk,
        },
        "submissions": {"pk": submission.pk, "file_id": submission.files.get().pk},
        "awards": {"pk": awarded.award.pk},
        "clarifications": {"pk": clarification.pk},
        "organizations": {"pk": org.pk, "membership_id": judge.pk},
        "teams": {"pk": team.pk},
        "solvers": {"pk": profile.pk},
        "staff": {"pk": awarded.award.pk},  # no payout exists: retrying one is a 404
        "invitations": {"token": invitation.token},
        "ideas": {"pk": idea.pk, "comment_id": comment.pk},
    }
    return World(
        people={"anonymous": None, "solver": solver, "owner": owner, "staff": staff},
        challenges=[open_challenge.pk, awarded.challenge.pk, draft.pk],
        ids=segments,
    )


def _patterns(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def api_routes() -> list[URLPattern]:
    """Every named route under /api/ (the JSON 404 catch-alls left out)."""
    return [
        pattern
        for route, pattern in _patterns(get_resolver().url_patterns)
        if route.lstrip("^").startswith("api/")
        and getattr(pattern.callback, "cls", None) is not NotFoundView
    ]


def urls(world: World) -> list[str]:
    """Every API route with real ids; a challenge's routes once per challenge."""
    found = []
    for pattern in api_routes():
        names = list(pattern.pattern.regex.groupindex)
        segment = reverse(pattern.name, kwargs=dict.fromkeys(names, 1)).split("/")[3]
        kwargs = {name: world.ids[segment][name] for name in names}
        if segment == "challenges" and "pk" in names:
            variants = [{**kwargs, "pk": pk} for pk in world.challenges]
        else:
            variants = [kwargs]
        found += [reverse(pattern.name, kwargs=variant) for variant in variants]
    return found
