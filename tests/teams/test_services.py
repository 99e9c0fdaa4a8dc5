"""Team rules in the services: forming, inviting, joining, shares, leaving, freezing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core import mail as marketplace_mail
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.lifecycle.services import challenges_close_expired
from marketplace.teams import services
from marketplace.teams.models import Team, TeamMember
from marketplace.teams.rules import team_blockers
from marketplace.teams.selectors import team_for_user
from marketplace.teams.states import TeamMemberState as M
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)
from tests.teams.conftest import shares_of

pytestmark = pytest.mark.django_db


def _past_deadline(challenge):
    """Move the deadline one second into the past (the state stays open: the sweep has
    not run yet, and server time alone must decide)."""
    deadline = timezone.now() - timedelta(seconds=1)
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=deadline, judging_deadline=deadline + timedelta(days=30)
    )


# Forming a team


def test_the_captain_is_the_first_active_member_with_the_whole_share(cast):
    team = Team.objects.get(pk=cast.team.pk)
    assert team.captain == cast.captain and team.challenge == cast.challenge
    assert shares_of(team)[cast.captain.pk] == (M.ACTIVE, 5000)  # the member joined since
    solo = UserFactory()
    RegistrationFactory(challenge=cast.challenge, user=solo)
    alone = services.team_create(challenge_id=cast.challenge.pk, captain=solo, name=" Solo  act ")
    assert alone.name == "Solo act"
    assert shares_of(alone) == {solo.pk: (M.ACTIVE, 10_000)}


def test_forming_a_team_needs_a_registration(cast):
    stranger = UserFactory()
    with pytest.raises(NotAllowed):
        services.team_create(challenge_id=cast.challenge.pk, captain=stranger, name="Nope")
    assert not Team.objects.filter(name="Nope").exists()


@pytest.mark.parametrize("state", [S.CLOSED, S.JUDGING, S.CANCELLED])
def test_forming_a_team_needs_an_open_challenge(state):
    challenge = ChallengeFactory(state=state, plan=False)
    user = RegistrationFactory(challenge=challenge).user
    with pytest.raises(IllegalTransition) as caught:
        services.team_create(challenge_id=challenge.pk, captain=user, name="Late")
    assert caught.value.code == "not_open"
    assert not Team.objects.exists()


def test_team_names_are_unique_per_challenge_whatever_the_case(cast):
    with pytest.raises(ValidationError) as caught:
        services.team_create(challenge_id=cast.challenge.pk, captain=cast.other, name="TIDE")
    assert "name" in caught.value.message_dict
    assert Team.objects.filter(challenge=cast.challenge).count() == 1


# One active team per person and challenge


def test_a_member_cannot_form_a_second_team_for_the_same_challenge(cast):
    with pytest.raises(IllegalTransition) as caught:
        services.team_create(challenge_id=cast.challenge.pk, captain=cast.member, name="Second")
    assert caught.value.code == "in_another_team"
    assert not Team.objects.filter(name="Second").exists()


def test_a_user_cannot_join_two_teams_of_the_same_challenge(cast):
    rival = services.team_create(challenge_id=cast.challenge.pk, captain=cast.other, name="Rival")
    services.team_invite(team_id=rival.pk, actor=cast.other, email=cast.member.email)
    with pytest.raises(IllegalTransition) as caught:
        services.team_invitation_respond(team_id=rival.pk, user=cast.member, accept=True)
    assert caught.value.code == "in_another_team"
    assert shares_of(rival)[cast.member.pk] == (M.INVITED, 0)
    assert shares_of(cast.team)[cast.member.pk] == (M.ACTIVE, 5000)


def test_the_database_also_refuses_a_second_active_team(cast):
    rival = TeamFactory(challenge=cast.challenge)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(team=rival, user=cast.member, state=M.ACTIVE)


def test_teams_of_other_challenges_do_not_count(cast):
    elsewhere = TeamFactory()
    TeamMemberFactory(team=elsewhere, user=cast.member, state=M.ACTIVE)
    assert shares_of(cast.team)[cast.member.pk] == (M.ACTIVE, 5000)


# Invitations


def test_only_the_captain_invites(cast):
    newcomer = UserFactory()
    for actor in (cast.member, cast.invitee, cast.other):
        with pytest.raises(NotAllowed):
            services.team_invite(team_id=cast.team.pk, actor=actor, email=newcomer.email)
    assert not TeamMember.objects.filter(user=newcomer).exists()


def test_an_invitation_to_someone_without_an_account_is_refused(cast):
    before = shares_of(cast.team)
    with pytest.raises(ValidationError) as caught:
        services.team_invite(team_id=cast.team.pk, actor=cast.captain, email="nobody@example.org")
    assert "sign up" in caught.value.message_dict["email"][0]
    with pytest.raises(ValidationError) as caught:
        services.team_invite(team_id=cast.team.pk, actor=cast.captain, email="not an address")
    assert "email" in caught.value.message_dict
    assert shares_of(cast.team) == before


def test_the_invitation_is_mailed_after_commit_with_a_link(
    cast, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(email="eve@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.team_invite(team_id=cast.team.pk, actor=cast.captain, email=" EVE@example.com ")
    [message] = mail.outbox
    assert message.to == ["eve@example.com"]
    assert "Tide" in message.subject
    assert f"/solver/teams/{cast.team.pk}/" in message.body
    assert "Ada Captain" in message.body and cast.challenge.title in message.body
    assert shares_of(cast.team)[newcomer.pk] == (M.INVITED, 0)


def test_the_invitation_is_written_in_the_invitees_language(
    cast, django_capture_on_commit_callbacks, monkeypatch
):
    UserFactory(email="ana@example.com", language="es")
    languages = []

    def render(template, context):
        languages.append(translation.get_language())
        return render_to_string(template, context)

    monkeypatch.setattr(marketplace_mail, "render_to_string", render)
    with django_capture_on_commit_callbacks(execute=True):
        services.team_invite(team_id=cast.team.pk, actor=cast.captain, email="ana@example.com")
    assert languages == ["es", "es"]


def test_nobody_is_invited_twice_but_someone_who_declined_can_be_again(cast):
    for email in (cast.member.email, cast.invitee.email, cast.captain.email):
        with pytest.raises(ValidationError):
            services.team_invite(team_id=cast.team.pk, actor=cast.captain, email=email)
    services.team_invitation_respond(team_id=cast.team.pk, user=cast.invitee, accept=False)
    assert shares_of(cast.team)[cast.invitee.pk] == (M.DECLINED, 0)
    services.team_invite(team_id=cast.team.pk, actor=cast.captain, email=cast.invitee.email)
    row = TeamMember.objects.get(team=cast.team, user=cast.invitee)
    assert row.state == M.INVITED and row.responded_at is None


# Responding


def test_joining_splits_the_shares_equally_again(cast):
    services.team_set_shares(
        team_id=cast.team.pk,
        actor=cast.captain,
        shares={cast.captain.pk: 7000, cast.member.pk: 3000},
    )
    services.team_invitation_respond(team_id=cast.team.pk, user=cast.invitee, accept=True)
    assert shares_of(cast.team) == {
        cast.captain.pk: (M.ACTIVE, 3334),
        cast.member.pk: (M.ACTIVE, 3333),
        cast.invitee.pk: (M.ACTIVE, 3333),
    }


def test_declining_leaves_the_shares_alone(cast):
    services.team_invitation_respond(team_id=cast.team.pk, user=cast.invitee, accept=False)
    assert shares_of(cast.team) == {
        cast.captain.pk: (M.ACTIVE, 5000),
        cast.member.pk: (M.ACTIVE, 5000),
        cast.invitee.pk: (M.DECLINED, 0),
    }


def test_only_a_pending_invitation_can_be_answered(cast):
    with pytest.raises(IllegalTransition) as caught:
        services.team_invitation_respond(team_id=cast.team.pk, user=cast.member, accept=True)
    assert caught.value.code == "not_invited"
    with pytest.raises(NotAllowed):
        services.team_invitation_respond(team_id=cast.team.pk, user=cast.other, accept=True)


def test_joining_after_the_deadline_is_refused(cast):
    _past_deadline(cast.challenge)
    with pytest.raises(IllegalTransition) as caught:
        services.team_invitation_respond(team_id=cast.team.pk, user=cast.invitee, accept=True)
    assert caught.value.code == "team_final"
    assert shares_of(cast.team)[cast.invitee.pk] == (M.INVITED, 0)


# Shares


def test_the_captain_declares_the_shares(cast):
    team = services.team_set_shares(
        team_id=cast.team.pk,
        actor=cast.captain,
        shares={cast.captain.pk: 2500, cast.member.pk: 7500},
    )
    assert shares_of(team)[cast.captain.pk] == (M.ACTIVE, 2500)
    assert shares_of(team)[cast.member.pk] == (M.ACTIVE, 7500)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"captain": 6000, "member": 3000}, "add up to 9,000 basis points"),
        ({"captain": 6000, "member": 4001}, "add up to 10,001 basis points"),
        ({"captain": 10_000}, "every member"),
        ({"captain": 5000, "member": 4000, "invitee": 1000}, "every member"),
        ({"captain": 11_000, "member": -1000}, "from 0 to 10,000"),
        ({"captain": 5000.0, "member": 5000}, "whole number"),
    ],
)
def test_shares_that_are_not_a_full_split_of_the_members_are_refused(cast, shares, message):
    people = {"captain": cast.captain, "member": cast.member, "invitee": cast.invitee}
    before = shares_of(cast.team)
    with pytest.raises(ValidationError) as caught:
        services.team_set_shares(
            team_id=cast.team.pk,
            actor=cast.captain,
            shares={people[name].pk: bps for name, bps in shares.items()},
        )
    assert message in " ".join(caught.value.message_dict["shares"])
    assert shares_of(cast.team) == before


def test_a_non_captain_cannot_set_the_shares(cast):
    before = shares_of(cast.team)
    for actor in (cast.member, cast.invitee, cast.other, cast.staff):
        with pytest.raises(NotAllowed):
            services.team_set_shares(
                team_id=cast.team.pk,
                actor=actor,
                shares={cast.captain.pk: 1000, cast.member.pk: 9000},
            )
    assert shares_of(cast.team) == before


def test_shares_freeze_at_the_deadline(cast):
    before = shares_of(cast.team)
    _past_deadline(cast.challenge)
    with pytest.raises(IllegalTransition) as caught:
        services.team_set_shares(
            team_id=cast.team.pk,
            actor=cast.captain,
            shares={cast.captain.pk: 1000, cast.member.pk: 9000},
        )
    assert caught.value.code == "team_final" and caught.value.state == S.OPEN
    assert shares_of(cast.team) == before


def test_a_frozen_team_stays_frozen_even_if_the_deadline_moves(cast):
    _past_deadline(cast.challenge)
    assert challenges_close_expired() == 1
    Challenge.objects.filter(pk=cast.challenge.pk).update(
        submission_deadline=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(IllegalTransition):
        services.team_set_shares(
            team_id=cast.team.pk,
            actor=cast.captain,
            shares={cast.captain.pk: 1000, cast.member.pk: 9000},
        )


def test_the_deadline_sweep_freezes_the_split_once(cast):
    assert challenges_close_expired() == 0
    assert Team.objects.get(pk=cast.team.pk).shares_frozen_at is None
    _past_deadline(cast.challenge)
    assert challenges_close_expired() == 1
    frozen_at = Team.objects.get(pk=cast.team.pk).shares_frozen_at
    assert frozen_at is not None
    assert challenges_close_expired() == 0
    assert Team.objects.get(pk=cast.team.pk).shares_frozen_at == frozen_at


# Leaving and removing


def test_a_withdrawn_member_and_their_share_leave_and_the_split_is_redone(cast):
    services.team_invitation_respond(team_id=cast.team.pk, user=cast.invitee, accept=True)
    services.team_set_shares(
        team_id=cast.team.pk,
        actor=cast.captain,
        shares={cast.captain.pk: 2000, cast.member.pk: 7000, cast.invitee.pk: 1000},
    )
    services.team_member_withdraw(team_id=cast.team.pk, user_id=cast.member.pk, actor=cast.member)
    assert shares_of(cast.team) == {
        cast.captain.pk: (M.ACTIVE, 5000),
        cast.member.pk: (M.WITHDRAWN, 0),
        cast.invitee.pk: (M.ACTIVE, 5000),
    }
    with pytest.raises(Http404):
        team_for_user(cast.member, cast.team.pk)
    assert team_blockers(Team.objects.get(pk=cast.team.pk)) == [
        "Cy Invitee has not accepted the challenge's agreement yet."
    ]


def test_the_captain_removes_a_member_or_cancels_an_invitation(cast):
    services.team_member_withdraw(team_id=cast.team.pk, user_id=cast.member.pk, actor=cast.captain)
    services.team_member_withdraw(team_id=cast.team.pk, user_id=cast.invitee.pk, actor=cast.captain)
    assert shares_of(cast.team) == {
        cast.captain.pk: (M.ACTIVE, 10_000),
        cast.member.pk: (M.WITHDRAWN, 0),
        cast.invitee.pk: (M.WITHDRAWN, 0),
    }


def test_only_the_captain_removes_someone_else(cast):
    before = shares_of(cast.team)
    with pytest.raises(NotAllowed):
        services.team_member_withdraw(
            team_id=cast.team.pk, user_id=cast.captain.pk, actor=cast.member
        )
    with pytest.raises(NotAllowed):
        services.team_member_withdraw(
            team_id=cast.team.pk, user_id=cast.invitee.pk, actor=cast.member
        )
    with pytest.raises(ValidationError):
        services.team_member_withdraw(
            team_id=cast.team.pk, user_id=cast.other.pk, actor=cast.captain
        )
    assert shares_of(cast.team) == before


def test_the_captain_leaves_last_and_takes_the_invitations_along(cast):
    with pytest.raises(ValidationError) as caught:
        services.team_member_withdraw(
            team_id=cast.team.pk, user_id=cast.captain.pk, actor=cast.captain
        )
    assert "last" in caught.value.message_dict["user"][0]
    services.team_member_withdraw(team_id=cast.team.pk, user_id=cast.member.pk, actor=cast.member)
    services.team_member_withdraw(team_id=cast.team.pk, user_id=cast.captain.pk, actor=cast.captain)
    assert {state for state, _share in shares_of(cast.team).values()} == {M.WITHDRAWN}
    # free to form another team now
    services.team_create(challenge_id=cast.challenge.pk, captain=cast.captain, name="Again")


def test_leaving_after_the_deadline_is_refused(cast):
    before = shares_of(cast.team)
    _past_deadline(cast.challenge)
    with pytest.raises(IllegalTransition):
        services.team_member_withdraw(
            team_id=cast.team.pk, user_id=cast.member.pk, actor=cast.member
        )
    assert shares_of(cast.team) == before


# Ready to submit


def test_ready_when_every_active_member_registered_and_shares_add_up(cast):
    assert team_blockers(cast.team) == []  # the pending invitee does not block


def test_a_member_without_a_registration_is_reported(cast):
    services.team_invitation_respond(team_id=cast.team.pk, user=cast.invitee, accept=True)
    assert team_blockers(cast.team) == [
        "Cy Invitee has not accepted the challenge's agreement yet."
    ]
    RegistrationFactory(challenge=cast.challenge, user=cast.invitee)
    assert team_blockers(cast.team) == []


def test_shares_that_do_not_add_up_are_reported(cast):
    TeamMember.objects.filter(team=cast.team, user=cast.member).update(share_bps=4000)
    assert team_blockers(cast.team) == [
        "The shares add up to 9,000 basis points instead of 10,000."
    ]


def test_an_empty_team_is_not_ready(cast):
    TeamMember.objects.filter(team=cast.team).update(state=M.WITHDRAWN, share_bps=0)
    assert team_blockers(cast.team) == ["The team has no members."]


# The equal split


@given(st.lists(st.sampled_from(list(M)), min_size=1, max_size=60))
def test_the_equal_split_always_adds_up_to_10000(states):
    members = [TeamMember(pk=i, state=state, share_bps=123) for i, state in enumerate(states)]
    services.shares_split_equally(members)
    active = [m.share_bps for m in members if m.state == M.ACTIVE]
    others = [m.share_bps for m in members if m.state != M.ACTIVE]
    assert all(share == 0 for share in others)
    if active:
        assert sum(active) == 10_000
        assert max(active) - min(active) <= 1
        assert active == sorted(active, reverse=True)  # spare points to earlier members


# Concurrency (real connections on PostgreSQL)


@pytest.fixture
def _postgres():
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_postgres")
def test_accepting_ten_teams_at_once_joins_exactly_one():
    challenge = ChallengeFactory(state=S.OPEN, plan=False)
    joiner = UserFactory()
    teams = [TeamFactory(challenge=challenge) for _ in range(10)]
    for team in teams:
        TeamMemberFactory(team=team, user=joiner)

    results = in_threads(
        10,
        lambda i: services.team_invitation_respond(team_id=teams[i].pk, user=joiner, accept=True),
    )

    joined = [r for r in results if isinstance(r, TeamMember)]
    refused = [r for r in results if isinstance(r, IllegalTransition)]
    assert len(joined) == 1 and len(refused) == 9, results
    assert {r.code for r in refused} == {"in_another_team"}
    assert TeamMember.objects.filter(user=joiner, state=M.ACTIVE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_postgres")
def test_ten_people_joining_at_once_share_exactly_10000():
    team = TeamFactory()
    joiners = [UserFactory() for _ in range(10)]
    for user in joiners:
        TeamMemberFactory(team=team, user=user)

    results = in_threads(
        10,
        lambda i: services.team_invitation_respond(team_id=team.pk, user=joiners[i], accept=True),
    )

    assert all(isinstance(r, TeamMember) for r in results), results
    shares = sorted(team.members.values_list("share_bps", flat=True), reverse=True)
    assert shares == [910] + [909] * 10
