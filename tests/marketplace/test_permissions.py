"""The permission predicates of each domain, on the questions that used to be answered
in two places: who reads a challenge's entries, who reads its brief, who edits."""

import pytest

from marketplace.accounts.models import User
from marketplace.challenges.models import ChallengeState as S
from marketplace.challenges.permissions import can_read_brief, is_editor
from marketplace.judging.permissions import can_choose_winners, can_use_workspace
from marketplace.organisations.permissions import is_org_editor
from marketplace.organisations.roles import OrgRole
from marketplace.submissions.permissions import SUBMISSIONS_REVEALED, can_read_all_submissions
from tests.factories import (
    ChallengeFactory,
    JudgeAssignmentFactory,
    MembershipFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = ("owner", "manager", "judge", "demoted_judge", "solver", "outsider", "staff")


@pytest.fixture
def people(org, owner, manager, judge, solver, outsider, staff):
    """The demoted judge is still assigned, but now holds the manager role."""
    return {
        "owner": owner,
        "manager": manager,
        "judge": judge,
        "demoted_judge": MembershipFactory(organization=org, role=OrgRole.MANAGER).user,
        "solver": solver,
        "outsider": outsider,
        "staff": staff,
    }


def _challenge(org, people, state):
    challenge = ChallengeFactory(organization=org, state=state)
    for name in ("judge", "demoted_judge"):
        JudgeAssignmentFactory(challenge=challenge, judge=people[name])
    RegistrationFactory(challenge=challenge, user=people["solver"])
    return challenge


@pytest.mark.parametrize("state", [S.DRAFT, S.OPEN, *SUBMISSIONS_REVEALED])
@pytest.mark.parametrize("who", PEOPLE)
def test_the_entries_are_read_by_staff_and_once_revealed_by_owners_and_active_judges(
    org, people, state, who
):
    challenge = _challenge(org, people, state)
    user = User.objects.get(pk=people[who].pk)  # no cached roles
    revealed = state in SUBMISSIONS_REVEALED
    expected = who == "staff" or (revealed and who in ("owner", "judge"))
    assert can_read_all_submissions(user, challenge) is expected


@pytest.mark.parametrize("who", PEOPLE)
def test_judging_rules_follow_the_roles(org, people, who):
    challenge = _challenge(org, people, S.JUDGING)
    user = User.objects.get(pk=people[who].pk)
    assert can_use_workspace(user, challenge) is (who in ("owner", "judge"))
    assert can_choose_winners(user, challenge) is (who in ("owner", "staff"))


@pytest.mark.parametrize("who", PEOPLE)
def test_the_brief_is_read_by_members_registered_solvers_and_staff(org, people, who):
    challenge = _challenge(org, people, S.OPEN)
    user = User.objects.get(pk=people[who].pk)
    assert can_read_brief(user, challenge) is (who != "outsider")


@pytest.mark.parametrize("who", PEOPLE)
def test_a_challenge_is_edited_by_its_organisations_editors(org, people, who):
    challenge = _challenge(org, people, S.DRAFT)
    user = User.objects.get(pk=people[who].pk)
    editor = who in ("owner", "manager", "demoted_judge")
    assert is_editor(user, challenge) is editor
    assert is_org_editor(user, org.pk) is editor
