"""Team pages: who may open and do what (matrix), and what each person sees."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.teams.models import Team, TeamMember
from marketplace.teams.states import TeamMemberState as M
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory
from tests.teams.conftest import cast as cast  # a fixture
from tests.teams.conftest import shares_of

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous", "other", "member", "captain", "invitee", "staff"]
LOGIN, OK, REFUSED = "login", "ok", "refused"  # redirects: to log in / done / with an error


def expect(anonymous, other, member, captain, invitee, staff):
    return dict(zip(CALLERS, (anonymous, other, member, captain, invitee, staff), strict=True))


def _url(name, c, *args):
    return reverse(f"solvers:{name}", args=[c.team.pk, *args])


CASES = {
    "team page": (
        lambda c: ("get", _url("team_detail", c), None),
        expect(LOGIN, 404, 200, 200, 200, 200),
    ),
    "new team form": (
        lambda c: ("get", reverse("solvers:team_create", args=[c.challenge.pk]), None),
        expect(LOGIN, 200, 200, 200, 200, 200),
    ),
    "form a team": (
        lambda c: ("post", reverse("solvers:team_create", args=[c.challenge.pk]), {"name": "Wave"}),
        expect(LOGIN, OK, 400, 400, 400, 400),
    ),
    "invite": (
        lambda c: ("post", _url("team_invite", c), {"email": UserFactory().email}),
        expect(LOGIN, 404, REFUSED, OK, REFUSED, REFUSED),
    ),
    "set the shares": (
        lambda c: (
            "post",
            _url("team_shares", c),
            {f"share_{c.captain.pk}": 4000, f"share_{c.member.pk}": 6000},
        ),
        expect(LOGIN, 404, REFUSED, OK, REFUSED, REFUSED),
    ),
    "accept": (
        lambda c: ("post", _url("team_respond", c), {"accept": "1"}),
        expect(LOGIN, 404, REFUSED, REFUSED, OK, REFUSED),
    ),
    "decline": (
        lambda c: ("post", _url("team_respond", c), {"accept": "0"}),
        expect(LOGIN, 404, REFUSED, REFUSED, OK, REFUSED),
    ),
    "remove the member": (
        lambda c: ("post", _url("team_withdraw", c, c.member.pk), None),
        expect(LOGIN, 404, OK, OK, REFUSED, REFUSED),
    ),
    "remove the captain": (
        lambda c: ("post", _url("team_withdraw", c, c.captain.pk), None),
        expect(LOGIN, 404, REFUSED, REFUSED, REFUSED, REFUSED),
    ),
}


def _rows():
    return {
        model.__name__: list(model.objects.order_by("pk").values()) for model in (Team, TeamMember)
    }


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("case", CASES)
def test_permission_matrix(client, cast, case, caller):
    setup, expected = CASES[case]
    method, url, data = setup(cast)
    if caller != "anonymous":
        client.force_login(getattr(cast, caller))
    before = _rows()
    response = getattr(client, method)(url, data)
    outcome = expected[caller]
    if outcome == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif outcome in (OK, REFUSED):
        assert response.status_code == 302, response.content
        shown = client.get(response["Location"]).content.decode()
        assert ('class="error"' in shown) == (outcome == REFUSED)
    else:
        assert response.status_code == outcome
    assert (_rows() == before) == (outcome != OK)


def _page(client, user, c) -> str:
    client.force_login(user)
    response = client.get(_url("team_detail", c))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_members_states_and_shares(client, cast):
    content = _page(client, cast.member, cast)
    for text in (
        "Tide",
        "Ada Captain",
        "Ben Member",
        "Cy Invitee",
        "Invited",
        "5000 basis points (50.00 %)",
        cast.challenge.title,
    ):
        assert text in content
    assert "Leave the team" in content
    assert "Invite a member" not in content and "Save the shares" not in content


def test_the_captain_sees_the_forms(client, cast):
    content = _page(client, cast.captain, cast)
    assert "Invite a member" in content and "Save the shares" in content
    assert f'name="share_{cast.member.pk}"' in content
    assert "Cancel the invitation" in content and "Remove" in content
    assert "The captain leaves last." in content and "Leave the team" not in content


def test_the_invitee_may_accept_or_decline(client, cast):
    content = _page(client, cast.invitee, cast)
    assert "Accept and join" in content and "Decline" in content
    client.post(_url("team_respond", cast), {"accept": "1"})
    assert shares_of(cast.team)[cast.invitee.pk] == (M.ACTIVE, 3333)


def test_shares_not_adding_up_show_a_clear_error(client, cast):
    client.force_login(cast.captain)
    before = shares_of(cast.team)
    response = client.post(
        _url("team_shares", cast),
        {f"share_{cast.captain.pk}": 6000, f"share_{cast.member.pk}": 3000},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "The shares add up to 9,000 basis points; they must add up to exactly 10,000" in content
    assert 'value="6000"' in content and 'value="3000"' in content
    assert shares_of(cast.team) == before


def test_inviting_someone_without_an_account_shows_the_error(client, cast):
    client.force_login(cast.captain)
    response = client.post(_url("team_invite", cast), {"email": "nobody@example.org"})
    assert response.status_code == 400
    assert "ask them to sign up first" in response.content.decode()
    assert not TeamMember.objects.filter(user__email="nobody@example.org").exists()


def test_after_the_deadline_the_page_says_the_team_is_final(client, cast):
    Challenge.objects.filter(pk=cast.challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    content = _page(client, cast.captain, cast)
    assert "the team and its shares are final" in content
    assert "Save the shares" not in content and "Leave the team" not in content


def test_the_page_lists_what_blocks_a_submission(client, cast):
    client.force_login(cast.invitee)
    client.post(_url("team_respond", cast), {"accept": "1"})
    content = _page(client, cast.captain, cast)
    assert "Before the team can submit" in content
    assert "Cy Invitee has not accepted the challenge&#x27;s agreement yet." in content


def test_forming_a_team_from_a_challenge(client, cast):
    client.force_login(cast.other)
    url = reverse("solvers:team_create", args=[cast.challenge.pk])
    assert cast.challenge.title in client.get(url).content.decode()
    response = client.post(url, {"name": "Wave"})
    team = Team.objects.get(name="Wave")
    assert response["Location"] == reverse("solvers:team_detail", args=[team.pk])
    assert team.captain == cast.other


def test_forming_a_team_without_registering_shows_why(client, cast):
    client.force_login(UserFactory())
    response = client.post(
        reverse("solvers:team_create", args=[cast.challenge.pk]), {"name": "Wave"}
    )
    assert response.status_code == 400
    assert "Accept the challenge&#x27;s agreement before forming a team." in (
        response.content.decode()
    )


def test_a_draft_challenge_has_no_team_form(client, solver):
    draft = ChallengeFactory(plan=False)
    client.force_login(solver)
    assert client.get(reverse("solvers:team_create", args=[draft.pk])).status_code == 404


def test_my_challenges_lists_my_teams(client, cast):
    lone = ChallengeFactory(state=S.OPEN, title="Lone wolf", plan=False)
    RegistrationFactory(challenge=lone, user=cast.member)
    client.force_login(cast.member)
    content = client.get(reverse("solvers:my_challenges")).content.decode()
    assert "My teams" in content
    assert reverse("solvers:team_detail", args=[cast.team.pk]) in content
    assert "Member, share 5000 basis points" in content
    assert reverse("solvers:team_create", args=[lone.pk]) in content
    assert reverse("solvers:team_create", args=[cast.challenge.pk]) not in content


def test_my_challenges_shows_invitations(client, cast):
    client.force_login(cast.invitee)
    content = client.get(reverse("solvers:my_challenges")).content.decode()
    assert "Invited: answer on the team's page" in content
    assert reverse("solvers:team_detail", args=[cast.team.pk]) in content
