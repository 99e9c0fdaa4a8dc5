"""Every endpoint against every kind of caller: the status each one gets, and proof
that a refused request wrote nothing."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.challenges.models import ChallengeState as S
from marketplace.challenges.transitions import transition_names
from marketplace.organisations.models import Invitation, Membership
from marketplace.organisations.roles import OrgRole
from tests.api.world import build_world, urls
from tests.api_calls import ROLES, assert_error, call, challenge_payload, db_state, future
from tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    agreement_hash,
    idea_for,
    submission_for,
    verified_user,
)

pytestmark = pytest.mark.django_db


def expect(anonymous, solver, outsider, judge, manager, owner, staff):
    return dict(
        zip(ROLES, (anonymous, solver, outsider, judge, manager, owner, staff), strict=True)
    )


def _challenge(p, state=S.DRAFT, **kwargs):
    return ChallengeFactory(
        organization=p["owner"].memberships.get().organization, state=state, **kwargs
    )


def _register(challenge):
    url = f"/api/v1/challenges/{challenge.pk}/register/"
    return "post", url, {"accepted_sha256": agreement_hash(challenge)}


def _org(p):
    return p["owner"].memberships.get().organization


def _transition(name, state, reason="", **kwargs):
    def setup(p):
        c = _challenge(p, state, **kwargs)
        return "post", f"/api/v1/challenges/{c.pk}/{name}/", {"reason": reason}

    return setup


def _with_entry(p):
    c = _challenge(p, S.OPEN)
    RegistrationFactory(challenge=c, user=p["solver"])
    submission_for(c, p["solver"])
    return c


def _early_close_url(challenge) -> str:
    return f"/api/v1/challenges/{challenge.pk}/early-close-requests/"


def _expired():
    return {"submission_deadline": timezone.now() - timedelta(hours=1)}


def _clarification(p):
    c = _challenge(p, S.OPEN)
    RegistrationFactory(challenge=c, user=p["solver"])
    return c.clarifications.create(asked_by=p["solver"], question="Is salt water included?")


def _idea(p):
    """A public idea by someone else; everyone of the matrix has a verified e-mail."""
    for user in p.values():
        if user is not None:
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True}
            )
    challenge = _challenge(p, S.OPEN, open_ideation=True, support_threshold=10)
    return idea_for(challenge, verified_user())


def _idea_call(method, tail, data=None):
    return lambda p: (method, f"/api/v1/ideas/{_idea(p).pk}/{tail}", data)


def _comment_hide(p):
    idea = _idea(p)
    comment = idea.comments.create(author=idea.author, body="Buy pills")
    return "post", f"/api/v1/ideas/comments/{comment.pk}/hide/", {"reason": "Advertising"}


def _judge_membership(p):
    return Membership.objects.get(user=p["judge"], organization=_org(p))


CASES = {
    "list ideas": (
        lambda p: ("get", f"/api/v1/ideas/?challenge={_idea(p).challenge_id}", None),
        expect(200, 200, 200, 200, 200, 200, 200),
    ),
    "read an idea": (_idea_call("get", ""), expect(200, 200, 200, 200, 200, 200, 200)),
    "support an idea": (
        _idea_call("post", "support/"),
        expect(401, 200, 200, 403, 403, 403, 200),
    ),
    "withdraw a support never given": (
        _idea_call("delete", "support/"),
        expect(401, 409, 409, 409, 409, 409, 409),
    ),
    "comment on an idea": (
        _idea_call("post", "comments/", {"body": "Could it float?"}),
        expect(401, 201, 201, 201, 201, 201, 201),
    ),
    "report an idea": (
        _idea_call("post", "reports/", {"reason": "Copied"}),
        expect(401, 201, 201, 201, 201, 201, 201),
    ),
    "hide an idea": (
        _idea_call("post", "hide/", {"reason": "Copied"}),
        expect(401, 403, 403, 403, 403, 403, 200),
    ),
    "hide a comment": (_comment_hide, expect(401, 403, 403, 403, 403, 403, 200)),
    "catalogue": (
        lambda p: ("get", "/api/v1/challenges/", None),
        expect(200, 200, 200, 200, 200, 200, 200),
    ),
    "my challenges": (
        lambda p: ("get", "/api/v1/challenges/?mine=1", None),
        expect(401, 200, 200, 200, 200, 200, 200),
    ),
    "detail of a draft": (
        lambda p: ("get", f"/api/v1/challenges/{_challenge(p).pk}/", None),
        expect(404, 404, 404, 200, 200, 200, 200),
    ),
    "detail of an open challenge": (
        lambda p: ("get", f"/api/v1/challenges/{_challenge(p, S.OPEN).pk}/", None),
        expect(200, 200, 200, 200, 200, 200, 200),
    ),
    "create": (
        lambda p: ("post", "/api/v1/challenges/", challenge_payload(_org(p))),
        expect(401, 403, 403, 403, 201, 201, 403),
    ),
    "replace a draft": (
        lambda p: ("put", f"/api/v1/challenges/{_challenge(p).pk}/", challenge_payload()),
        expect(401, 404, 404, 403, 200, 200, 403),
    ),
    "patch a draft": (
        lambda p: ("patch", f"/api/v1/challenges/{_challenge(p).pk}/", {"title": "New"}),
        expect(401, 404, 404, 403, 200, 200, 403),
    ),
    "patch an open challenge": (
        lambda p: ("patch", f"/api/v1/challenges/{_challenge(p, S.OPEN).pk}/", {"title": "N"}),
        expect(401, 403, 403, 403, 409, 409, 403),
    ),
    "submit": (_transition("submit", S.DRAFT), expect(401, 404, 404, 403, 200, 200, 403)),
    "return_to_draft": (
        _transition("return_to_draft", S.IN_REVIEW, "Fix the IP terms."),
        expect(401, 404, 404, 403, 403, 403, 200),
    ),
    "approve": (_transition("approve", S.IN_REVIEW), expect(401, 404, 404, 403, 403, 403, 200)),
    "reject": (
        _transition("reject", S.IN_REVIEW, "Out of scope."),
        expect(401, 404, 404, 403, 403, 403, 200),
    ),
    "open": (
        _transition("open", S.AWAITING_FUNDING, funded=True),
        expect(401, 404, 404, 403, 200, 200, 200),
    ),
    "close": (
        _transition("close", S.OPEN, **_expired()),
        expect(401, 403, 403, 403, 403, 403, 200),
    ),
    "close_early": (
        _transition("close_early", S.OPEN, "Solved in-house."),
        expect(401, 403, 403, 403, 403, 200, 200),
    ),
    "ask staff to close early": (
        lambda p: ("post", _early_close_url(_with_entry(p)), {"reason": "Solved in-house."}),
        expect(401, 403, 403, 403, 403, 201, 403),
    ),
    "read the requests to close early": (
        lambda p: ("get", _early_close_url(_challenge(p, S.OPEN)), None),
        expect(401, 403, 403, 403, 200, 200, 200),
    ),
    "start_judging": (
        _transition("start_judging", S.CLOSED),
        expect(401, 403, 403, 403, 200, 200, 403),
    ),
    "start_awarding": (
        _transition("start_awarding", S.JUDGING),
        expect(401, 403, 403, 403, 403, 200, 200),
    ),
    "complete": (_transition("complete", S.AWARDING), expect(401, 403, 403, 403, 403, 403, 409)),
    "declare_no_award": (
        _transition("declare_no_award", S.JUDGING, "No entry qualified."),
        expect(401, 403, 403, 403, 403, 200, 200),
    ),
    "cancel a draft": (
        _transition("cancel", S.DRAFT, "Budget cut."),
        expect(401, 404, 404, 403, 403, 200, 200),
    ),
    "cancel an open challenge": (
        _transition("cancel", S.OPEN, "Fraud."),
        expect(401, 403, 403, 403, 403, 403, 200),
    ),
    "extend the deadline": (
        lambda p: (
            "post",
            f"/api/v1/challenges/{_challenge(p, S.OPEN).pk}/extend-deadline/",
            {"submission_deadline": future(45)},
        ),
        expect(401, 403, 403, 403, 200, 200, 200),
    ),
    "register": (
        lambda p: _register(_challenge(p, S.OPEN)),
        expect(401, 200, 200, 403, 403, 403, 200),
    ),
    "list clarifications": (
        lambda p: (
            "get",
            f"/api/v1/challenges/{_clarification(p).challenge_id}/clarifications/",
            None,
        ),
        expect(200, 200, 200, 200, 200, 200, 200),
    ),
    "ask a question": (
        lambda p: (
            "post",
            f"/api/v1/challenges/{_clarification(p).challenge_id}/clarifications/",
            {"question": "Which salinity?"},
        ),
        expect(401, 201, 403, 403, 403, 403, 403),
    ),
    "answer a question": (
        lambda p: (
            "post",
            f"/api/v1/clarifications/{_clarification(p).pk}/answer/",
            {"answer": "Yes, sea water."},
        ),
        expect(401, 403, 404, 403, 200, 200, 403),
    ),
    "my organisations": (
        lambda p: ("get", "/api/v1/organizations/", None),
        expect(401, 200, 200, 200, 200, 200, 200),
    ),
    "found an organisation": (
        lambda p: ("post", "/api/v1/organizations/", {"name": "Blue Ocean Labs"}),
        expect(401, 201, 201, 201, 201, 201, 201),
    ),
    "organisation detail": (
        lambda p: ("get", f"/api/v1/organizations/{_org(p).pk}/", None),
        expect(401, 404, 404, 200, 200, 200, 200),
    ),
    "members": (
        lambda p: ("get", f"/api/v1/organizations/{_org(p).pk}/members/", None),
        expect(401, 404, 404, 200, 200, 200, 200),
    ),
    "invite": (
        lambda p: (
            "post",
            f"/api/v1/organizations/{_org(p).pk}/invitations/",
            {"email": "new.judge@example.com", "role": "judge"},
        ),
        expect(401, 404, 404, 403, 403, 201, 403),
    ),
    "change a role": (
        lambda p: (
            "patch",
            f"/api/v1/organizations/{_org(p).pk}/members/{_judge_membership(p).pk}/",
            {"role": "manager"},
        ),
        expect(401, 404, 404, 403, 403, 200, 403),
    ),
    "remove a member": (
        lambda p: (
            "delete",
            f"/api/v1/organizations/{_org(p).pk}/members/{_judge_membership(p).pk}/",
            None,
        ),
        expect(401, 404, 404, 403, 403, 204, 403),
    ),
    "my notification preferences": (
        lambda p: ("get", "/api/v1/me/notification-preferences/", None),
        expect(401, 200, 200, 200, 200, 200, 200),
    ),
    "set my notification preferences": (
        lambda p: (
            "put",
            "/api/v1/me/notification-preferences/",
            {"preferences": [{"kind": "challenge_opened", "delivery": "digest"}]},
        ),
        expect(401, 200, 200, 200, 200, 200, 200),
    ),
    "accept an invitation": (
        lambda p: (
            "post",
            "/api/v1/invitations/{}/accept/".format(
                Invitation.objects.create(
                    organization=_org(p),
                    email=p["solver"].email,
                    role=OrgRole.JUDGE,
                    invited_by=p["owner"],
                ).token
            ),
            None,
        ),
        expect(401, 200, 403, 403, 403, 403, 403),
    ),
}


def test_every_transition_has_a_row():
    covered = {name.split()[0] for name in CASES}
    assert set(transition_names()) <= covered


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_permission_matrix(people, case, role):
    setup, statuses = CASES[case]
    method, url, data = setup(people)
    before = db_state()
    response = call(people[role], method, url, data)
    assert response.status_code == statuses[role], response.content
    if response.status_code >= 400:
        assert_error(response, statuses[role])
        assert db_state() == before
    elif method != "get":
        assert db_state() != before
    else:
        assert db_state() == before


def _hidden(world) -> dict:
    """Route prefixes of objects each signed-in role may not see: the Seeker's draft for
    the solver; the solver's team and (before the deadline) submission for the owner."""
    return {
        "solver": [f"/api/v1/challenges/{world.challenges[-1]}/"],
        "owner": [
            f"/api/v1/teams/{world.ids['teams']['pk']}/",
            f"/api/v1/submissions/{world.ids['submissions']['pk']}/",
        ],
    }


@pytest.mark.parametrize("role", ["solver", "owner"])
def test_every_route_of_an_unseen_object_is_404_whatever_the_method(org, owner, staff, role):
    world = build_world(org, owner, staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=world.token(role)["Authorization"])
    prefixes = _hidden(world)[role]
    walked = [url for url in urls(world) if url.startswith(tuple(prefixes))]
    before = db_state()
    answers = {
        (method, url): getattr(client, method)(url, {}, format="json").status_code
        for url in walked
        for method in ("get", "post", "put", "patch", "delete")
    }
    # 405: the route has no such method, whatever the id.
    assert {key: status for key, status in answers.items() if status not in (404, 405)} == {}
    assert len(walked) >= len(prefixes) * 5
    assert db_state() == before
