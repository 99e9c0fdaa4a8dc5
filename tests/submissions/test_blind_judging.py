"""Blind judging, one rule everywhere: on a blind challenge every page and API answer
that shows entries, scores or awards hides the solver's name, e-mail and team from the
Seeker's side (owners, owners who judge, judges) until the winners are chosen; staff
always see them, solvers always see their own entries; without blind judging everyone
who reads an entry sees who submitted it.

Each case of the matrix is asked twice, the challenge blind and not: the same page shows
the names to the same person when the challenge is not blind, so every "hidden" case
fails if the page stops asking the rule."""

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.awards.models import Award
from marketplace.awards.services.finalize import awards_finalize
from marketplace.awards.services.forfeit import award_forfeit
from marketplace.awards.services.propose import award_propose
from marketplace.challenges.models import Challenge, PlannedAward, Requirement
from marketplace.challenges.models import ChallengeState as S
from marketplace.judging.services import evaluation_save, submission_shortlist
from marketplace.lifecycle.services import challenge_transition
from marketplace.organisations.roles import OrgRole
from tests.api_calls import client_for
from tests.factories import (
    ChallengeFactory,
    JudgeAssignmentFactory,
    MembershipFactory,
    RegistrationFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    claim_awarded_challenge,
    fund_challenge,
    submission_for,
    verify_award,
)

pytestmark = pytest.mark.django_db

SOLO, SOLO_EMAIL = "Zebulon Quixmoor", "zebulon.quixmoor@example.org"
CAPTAIN, CAPTAIN_EMAIL = "Xanthe Vortigern", "xanthe.vortigern@example.org"
MEMBER, MEMBER_EMAIL = "Ottoline Brackwater", "ottoline.brackwater@example.org"
TEAM = "Marmalade Narwhals"
IDENTITIES = (SOLO, SOLO_EMAIL, CAPTAIN, CAPTAIN_EMAIL, MEMBER, MEMBER_EMAIL, TEAM)

JUDGING, AWARDING, CHOSEN = "judging", "awarding", "chosen"


@pytest.fixture
def owner_judge(org):
    """A second owner of the organisation, assigned to judge the challenge."""
    return MembershipFactory(organization=org, role=OrgRole.OWNER).user


def blind_world(org, owner, judges, *, stage: str, blind: bool = True) -> SimpleNamespace:
    """A funded challenge with an entry by a lone solver (Entry #1) and one by a team
    (Entry #2, shortlisted), both scored by `judges`, then taken to `stage`: judging;
    awarding, with the team's entry awarded while the owner is still choosing; or
    `CHOSEN`, the owner having finished choosing."""
    challenge = ChallengeFactory(
        organization=org,
        created_by=owner,
        state="awaiting_funding",
        plan=False,
        blind_judging=blind,
    )
    requirement = Requirement.objects.create(
        challenge=challenge, position=1, title="Degrades in sea water", weight=100
    )
    first = PlannedAward.objects.create(challenge=challenge, position=1, amount=1_500_000)
    PlannedAward.objects.create(challenge=challenge, position=2, amount=1_000_000)
    fund_challenge(challenge)
    challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
    solo = UserFactory(full_name=SOLO, email=SOLO_EMAIL)
    captain = UserFactory(full_name=CAPTAIN, email=CAPTAIN_EMAIL)
    member = UserFactory(full_name=MEMBER, email=MEMBER_EMAIL)
    for person in (solo, captain, member):
        RegistrationFactory(challenge=challenge, user=person)
    team = TeamFactory(challenge=challenge, captain=captain, name=TEAM)
    TeamMemberFactory(team=team, user=member, state="active", share_bps=5_000)
    team.members.filter(user=captain).update(share_bps=5_000)
    alone = submission_for(challenge, solo, title="Kelp membrane")
    together = submission_for(challenge, captain, team=team, title="Chitosan film")
    for judge in judges:
        JudgeAssignmentFactory(challenge=challenge, judge=judge, assigned_by=owner)
    Challenge.objects.filter(pk=challenge.pk).update(state=S.JUDGING)
    for judge in judges:
        for entry, score in ((alone, 6), (together, 9)):
            evaluation_save(
                submission_id=entry.pk,
                judge=judge,
                scores={requirement.pk: {"score": score, "note": "Careful work."}},
            )
    submission_shortlist(submission_id=together.pk, actor=owner, shortlisted=True)
    award = None
    if stage != JUDGING:
        Challenge.objects.filter(pk=challenge.pk).update(state=S.AWARDING)
        award = award_propose(
            challenge_id=challenge.pk,
            actor=owner,
            submission_id=together.pk,
            planned_award_id=first.pk,
        )
    if stage == CHOSEN:
        awards_finalize(challenge_id=challenge.pk, actor=owner)
    return SimpleNamespace(
        challenge=Challenge.objects.get(pk=challenge.pk),
        alone=alone,
        together=together,
        award=award,
        solo=solo,
        captain=captain,
        member=member,
    )


@dataclass(frozen=True)
class Page:
    """A page or API endpoint that shows entries, scores or awards: its address in a
    world, who of the Seeker's side may open it (and whether staff may), the stages at
    which it has something to show, and what it shows of who submitted when nothing is
    hidden."""

    name: str
    url: object  # world -> address
    readers: tuple = ("owner", "owner_judge", "judge")
    staff: bool = True
    stages: tuple = (JUDGING, AWARDING, CHOSEN)
    shows: tuple = (SOLO, TEAM)


def _seeker(name, *args):
    return lambda w: reverse(f"seekers:{name}", args=[w.challenge.pk, *(a(w) for a in args)])


OWNERS = ("owner", "owner_judge")
AWARDED = (AWARDING, CHOSEN)
SCOREBOARD = Page("scoreboard", _seeker("scores"), readers=OWNERS)
AWARDS = Page(
    "awards page",
    _seeker("awards"),
    readers=OWNERS,
    stages=AWARDED,
    shows=(TEAM, CAPTAIN, MEMBER),
)
PAGES = [
    Page("submissions page", _seeker("submissions")),
    Page(
        "submission page",
        _seeker("submission_detail", lambda w: w.together.pk),
        shows=(TEAM,),
    ),
    Page("judging workspace", _seeker("judging"), staff=False),
    Page(
        "scoring page with the judges' notes",
        _seeker("judging_entry", lambda w: w.together.pk),
        staff=False,
        shows=(TEAM,),
    ),
    SCOREBOARD,
    Page(
        "shortlist",
        lambda w: reverse("seekers:scores", args=[w.challenge.pk]) + "?shortlisted=1",
        readers=OWNERS,
        shows=(TEAM,),
    ),
    AWARDS,
    Page(
        "submissions API",
        lambda w: f"/api/v1/challenges/{w.challenge.pk}/submissions/",
        shows=(SOLO, CAPTAIN, TEAM),
    ),
    Page(
        "submission API",
        lambda w: f"/api/v1/submissions/{w.together.pk}/",
        shows=(CAPTAIN, TEAM),
    ),
    Page(
        "judging API",
        lambda w: f"/api/v1/challenges/{w.challenge.pk}/judging/",
        staff=False,
        shows=(SOLO, CAPTAIN, TEAM),
    ),
    Page(
        "scoreboard API",
        lambda w: f"/api/v1/challenges/{w.challenge.pk}/scoreboard/",
        readers=OWNERS,
        shows=(SOLO, CAPTAIN, TEAM),
    ),
    Page(
        "awards API",
        lambda w: f"/api/v1/challenges/{w.challenge.pk}/awards/",
        readers=OWNERS,
        stages=AWARDED,
        shows=(CAPTAIN, MEMBER, TEAM),
    ),
    Page(
        "award API",
        lambda w: f"/api/v1/awards/{w.award.pk}/",
        readers=OWNERS,
        stages=AWARDED,
        shows=(CAPTAIN, MEMBER),
    ),
]


def cases(stages):
    return [
        pytest.param(page, reader, stage, id=f"{page.name}-{reader}-{stage}")
        for page in PAGES
        for reader in page.readers
        for stage in page.stages
        if stage in stages
    ]


def body(viewer, page: Page, world) -> str:
    response = client_for(viewer).get(page.url(world))
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


@pytest.fixture
def viewers(owner, owner_judge, judge, staff) -> dict:
    return {"owner": owner, "owner_judge": owner_judge, "judge": judge, "staff": staff}


def world_for(org, viewers, stage, *, blind=True):
    return blind_world(
        org, viewers["owner"], [viewers["judge"], viewers["owner_judge"]], stage=stage, blind=blind
    )


@pytest.mark.parametrize(("page", "reader", "stage"), cases((JUDGING, AWARDING)))
def test_hidden_from_the_seeker_until_winners_are_chosen(org, viewers, page, reader, stage):
    world = world_for(org, viewers, stage)
    text = body(viewers[reader], page, world)
    assert [who for who in IDENTITIES if who in text] == []


@pytest.mark.parametrize(("page", "reader", "stage"), cases((JUDGING, AWARDING)))
def test_shown_without_blind_judging(org, viewers, page, reader, stage):
    world = world_for(org, viewers, stage, blind=False)
    text = body(viewers[reader], page, world)
    assert [who for who in page.shows if who not in text] == []


@pytest.mark.parametrize(("page", "reader", "stage"), cases((CHOSEN,)))
def test_shown_once_the_winners_are_chosen(org, viewers, page, reader, stage):
    world = world_for(org, viewers, stage)
    text = body(viewers[reader], page, world)
    assert [who for who in page.shows if who not in text] == []


@pytest.mark.parametrize(
    ("page", "stage"),
    [
        pytest.param(page, stage, id=f"{page.name}-{stage}")
        for page in PAGES
        for stage in page.stages
        if page.staff and stage != CHOSEN
    ],
)
def test_staff_always_see_who_submitted(org, viewers, page, stage):
    world = world_for(org, viewers, stage)
    text = body(viewers["staff"], page, world)
    assert [who for who in page.shows if who not in text] == []


def test_managers_read_no_entry(org, viewers, manager):
    world = world_for(org, viewers, AWARDING, blind=False)
    for page in PAGES:
        response = client_for(manager).get(page.url(world))
        text = response.content.decode()
        assert response.status_code == 404 or not any(who in text for who in IDENTITIES), page


def test_solvers_see_their_own_entries(org, viewers):
    world = world_for(org, viewers, JUDGING)
    team_entry = f"/api/v1/submissions/{world.together.pk}/"
    for author in (world.captain, world.member):
        entry = client_for(author).get(team_entry).json()
        assert (entry["author"]["name"], entry["team"]["name"]) == (CAPTAIN, TEAM)
    mine = client_for(world.solo).get(f"/api/v1/challenges/{world.challenge.pk}/submissions/")
    [entry] = mine.json()["results"]
    assert entry["author"]["name"] == SOLO
    assert client_for(world.solo).get(team_entry).status_code == 404


def test_the_owners_choices_and_an_award_given_name_no_solver(org, viewers, owner):
    world = world_for(org, viewers, AWARDING)
    page = body(owner, AWARDS, world)
    assert "Entry #1 · Kelp membrane" in page and "Entry #2" in page
    second = world.challenge.planned_awards.get(position=2)
    response = client_for(owner).post(
        f"/api/v1/challenges/{world.challenge.pk}/awards/",
        {"submission": world.alone.pk, "planned_award": second.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["author"], response.json()["team"]) == (None, None)
    assert SOLO not in response.content.decode()


def test_a_forfeit_reopens_the_choice_and_hides_the_solvers_again(org, viewers, owner, staff):
    world = world_for(org, viewers, CHOSEN)
    assert SOLO in body(owner, SCOREBOARD, world)
    award_forfeit(award_id=world.award.pk, actor=staff, reason="Plagiarised")
    assert SOLO not in body(owner, SCOREBOARD, world)


def test_a_winners_deed_and_certificate_wait_for_the_winners_to_be_chosen(
    org, owner, staff, django_capture_on_commit_callbacks
):
    won = claim_awarded_challenge(org, owner, blind_judging=True)
    won.winner.full_name = SOLO
    won.winner.save(update_fields=["full_name"])
    with django_capture_on_commit_callbacks(execute=True):  # verified: released, paid
        verify_award(won.award)
    assert Award.objects.get(pk=won.award.pk).state == "paid"
    deed = reverse("solvers:award_deed_pdf", args=[won.award.pk, won.winner.pk])
    award = f"/api/v1/awards/{won.award.pk}/"
    hidden = client_for(owner).get(award).json()
    assert hidden["recipients"][0]["user"] is None and hidden["certificates"] == []
    assert [p["payee"] for p in hidden["payouts"]] == [None]
    assert SOLO not in client_for(owner).get(award).content.decode()
    assert client_for(owner).get(deed).status_code == 404
    for party in (won.winner, staff):
        shown = client_for(party).get(award).json()
        assert shown["recipients"][0]["user"]["name"] == SOLO and shown["certificates"]
        assert client_for(party).get(deed).status_code == 200
    awards_finalize(challenge_id=won.challenge.pk, actor=owner)
    shown = client_for(owner).get(award).json()
    assert shown["recipients"][0]["user"]["name"] == SOLO and shown["certificates"]
    assert [p["payee"] for p in shown["payouts"]] == [won.winner.pk]
    assert client_for(owner).get(deed).status_code == 200


def test_the_answer_to_a_forfeit_names_no_solver(org, viewers, owner):
    world = world_for(org, viewers, AWARDING)
    Award.objects.filter(pk=world.award.pk).update(
        claim_deadline=timezone.now() - timedelta(minutes=5)
    )
    response = client_for(owner).post(
        f"/api/v1/awards/{world.award.pk}/forfeit/", {}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "forfeited" and TEAM not in response.content.decode()
