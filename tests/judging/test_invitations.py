"""Judges from outside the organisation: inviting by e-mail, renewing, refusing members,
accepting with the invited address, withdrawing, expiry, the e-mail in both languages
and the challenge's history."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.judging.invitations import (
    judge_invitation_accept,
    judge_invitation_revoke,
    judge_invitation_send,
)
from marketplace.judging.models import JudgeAssignment, JudgeInvitation, token_digest
from marketplace.lifecycle.history import challenge_history
from marketplace.organisations.models import Membership
from marketplace.organisations.roles import OrgRole
from tests.factories import MembershipFactory
from tests.judging.invites import invite, verified_user

pytestmark = pytest.mark.django_db

GUEST = "guest.reviewer@university.example"


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def guest(db):
    return verified_user(GUEST, full_name="Grace Guest")


def events(challenge, name):
    return list(ChallengeEvent.objects.filter(challenge=challenge, name=name))


class TestInviting:
    def test_the_invitation_is_stored_logged_and_mailed_with_its_link(self, capture, draft, owner):
        invitation, token, message = invite(
            capture, draft, owner, " Guest.Reviewer@University.example "
        )
        assert invitation.email == GUEST and message.to == [GUEST]
        assert invitation.token_hash == token_digest(token) and token not in invitation.token_hash
        assert len(token) >= 40
        assert invitation.expires_at > timezone.now() + timedelta(days=13)
        assert [e.details for e in events(draft, "judge_invite")] == [{"email": GUEST}]

    def test_inviting_again_while_pending_renews_the_same_invitation(self, capture, draft, owner):
        first, old_token, _mail = invite(capture, draft, owner, GUEST)
        JudgeInvitation.objects.filter(pk=first.pk).update(
            expires_at=timezone.now() - timedelta(days=1)
        )
        again, new_token, message = invite(capture, draft, owner, GUEST)
        assert again.pk == first.pk and JudgeInvitation.objects.count() == 1
        assert new_token != old_token and message.to == [GUEST]
        assert not JudgeInvitation.objects.get().is_expired
        assert len(events(draft, "judge_invite")) == 1

    @pytest.mark.parametrize("role", [OrgRole.JUDGE, OrgRole.MANAGER, OrgRole.OWNER])
    def test_a_members_address_is_refused(self, draft, owner, org, role):
        member = MembershipFactory(organization=org, role=role).user
        with pytest.raises(ValidationError) as refused:
            judge_invitation_send(challenge_id=draft.pk, actor=owner, email=member.email.upper())
        assert "is a member of the organisation" in refused.value.message_dict["email"][0]
        assert not JudgeInvitation.objects.exists()

    def test_someone_already_judging_is_refused(self, capture, draft, owner, guest):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        judge_invitation_accept(token=token, user=guest)
        with pytest.raises(ValidationError, match="already judges this challenge"):
            judge_invitation_send(challenge_id=draft.pk, actor=owner, email=GUEST)

    def test_a_bad_address_is_refused(self, draft, owner):
        with pytest.raises(ValidationError) as refused:
            judge_invitation_send(challenge_id=draft.pk, actor=owner, email="not-an-address")
        assert list(refused.value.message_dict) == ["email"]

    @pytest.mark.parametrize("who", ["manager", "judge", "outsider"])
    def test_only_owners_and_staff_invite(self, request, draft, who):
        with pytest.raises(NotAllowed):
            judge_invitation_send(
                challenge_id=draft.pk, actor=request.getfixturevalue(who), email=GUEST
            )
        assert not JudgeInvitation.objects.exists()

    def test_staff_may_invite(self, capture, draft, staff):
        invitation, _token, _mail = invite(capture, draft, staff, GUEST)
        assert invitation.invited_by == staff

    @pytest.mark.parametrize("state", [S.AWARDING, S.COMPLETED, S.CANCELLED])
    def test_not_once_judging_has_ended(self, draft, owner, state):
        Challenge.objects.filter(pk=draft.pk).update(state=state)
        with pytest.raises(IllegalTransition):
            judge_invitation_send(challenge_id=draft.pk, actor=owner, email=GUEST)


class TestAccepting:
    def test_the_invitee_judges_that_challenge_without_joining(self, capture, draft, owner, guest):
        invitation, token, _mail = invite(capture, draft, owner, GUEST)
        assignment = judge_invitation_accept(token=token, user=guest)
        assert (assignment.challenge, assignment.judge, assignment.outside) == (draft, guest, True)
        assert assignment.assigned_by == owner
        assert not Membership.objects.filter(user=guest).exists()
        invitation.refresh_from_db()
        assert invitation.accepted_by == guest and invitation.accepted_at is not None
        assert [e.details for e in events(draft, "judge_invitation_accept")] == [
            {"judge": guest.pk, "email": GUEST}
        ]

    def test_a_used_link_cannot_be_used_again(self, capture, draft, owner, guest):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        judge_invitation_accept(token=token, user=guest)
        with pytest.raises(ValidationError, match="already been accepted"):
            judge_invitation_accept(token=token, user=guest)

    def test_a_wrong_token_is_refused(self, guest):
        with pytest.raises(ValidationError, match="not valid"):
            judge_invitation_accept(token="made-up", user=guest)

    def test_an_expired_link_is_refused(self, capture, draft, owner, guest):
        invitation, token, _mail = invite(capture, draft, owner, GUEST)
        JudgeInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
        with pytest.raises(ValidationError, match="expired"):
            judge_invitation_accept(token=token, user=guest)
        assert not JudgeAssignment.objects.exists()

    def test_the_old_link_stops_working_once_renewed(self, capture, draft, owner, guest):
        _invitation, old_token, _mail = invite(capture, draft, owner, GUEST)
        invite(capture, draft, owner, GUEST)
        with pytest.raises(ValidationError, match="not valid"):
            judge_invitation_accept(token=old_token, user=guest)

    def test_another_account_is_refused(self, capture, draft, owner):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        with pytest.raises(NotAllowed, match="another e-mail address"):
            judge_invitation_accept(token=token, user=verified_user())
        assert not JudgeAssignment.objects.exists()

    def test_the_invited_address_unverified_is_refused(self, capture, draft, owner):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        with pytest.raises(NotAllowed):
            judge_invitation_accept(token=token, user=verified_user(GUEST, verified=False))

    def test_a_verified_second_address_counts(self, capture, draft, owner):
        person = verified_user()
        EmailAddress.objects.create(user=person, email=GUEST, verified=True, primary=False)
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        assert judge_invitation_accept(token=token, user=person).judge == person

    def test_not_once_judging_has_ended(self, capture, draft, owner, guest):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        Challenge.objects.filter(pk=draft.pk).update(state=S.AWARDING)
        with pytest.raises(ValidationError, match="Judging of this challenge has ended"):
            judge_invitation_accept(token=token, user=guest)

    def test_a_member_who_joined_meanwhile_is_refused(self, capture, draft, owner, org, guest):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        MembershipFactory(organization=org, user=guest, role=OrgRole.MANAGER)
        with pytest.raises(ValidationError, match="You are a member"):
            judge_invitation_accept(token=token, user=guest)
        assert not JudgeAssignment.objects.exists()


class TestRevoking:
    def test_the_owner_withdraws_a_pending_invitation(self, capture, draft, owner, guest):
        invitation, token, _mail = invite(capture, draft, owner, GUEST)
        judge_invitation_revoke(invitation_id=invitation.pk, actor=owner)
        judge_invitation_revoke(invitation_id=invitation.pk, actor=owner)
        assert JudgeInvitation.objects.get().revoked_at is not None
        assert [e.details for e in events(draft, "judge_invitation_revoke")] == [{"email": GUEST}]
        with pytest.raises(ValidationError, match="withdrawn"):
            judge_invitation_accept(token=token, user=guest)

    def test_inviting_after_withdrawing_makes_a_new_invitation(self, capture, draft, owner):
        invitation, _token, _mail = invite(capture, draft, owner, GUEST)
        judge_invitation_revoke(invitation_id=invitation.pk, actor=owner)
        again, _token, _mail = invite(capture, draft, owner, GUEST)
        assert again.pk != invitation.pk and JudgeInvitation.objects.count() == 2

    def test_an_accepted_invitation_cannot_be_withdrawn(self, capture, draft, owner, guest):
        invitation, token, _mail = invite(capture, draft, owner, GUEST)
        judge_invitation_accept(token=token, user=guest)
        with pytest.raises(ValidationError, match="remove the judge instead"):
            judge_invitation_revoke(invitation_id=invitation.pk, actor=owner)

    def test_only_owners_and_staff_withdraw(self, capture, draft, owner, manager):
        invitation, _token, _mail = invite(capture, draft, owner, GUEST)
        with pytest.raises(NotAllowed):
            judge_invitation_revoke(invitation_id=invitation.pk, actor=manager)
        assert JudgeInvitation.objects.get().revoked_at is None


class TestTheEmail:
    def test_in_english(self, capture, draft, owner):
        _invitation, token, message = invite(capture, draft, owner, GUEST)
        assert message.subject == f"You are invited to judge “{draft.title}”"
        assert f"{owner} of {draft.organization.name} invites you to judge" in message.body
        assert "you do not join the organisation" in message.body
        assert f"{settings.SITE_URL}/seeker/judge-invitations/{token}/" in message.body

    def test_in_the_inviters_language(self, capture, draft, owner):
        owner.language = "es"
        owner.save()
        _invitation, _token, message = invite(capture, draft, owner, GUEST)
        assert message.subject == f"Invitación para evaluar «{draft.title}»"
        assert f"{owner}, de {draft.organization.name}, le invita a evaluar" in message.body
        assert "no se unirá a la organización" in message.body


def test_the_history_tells_each_step(capture, draft, owner, guest):
    _invitation, token, _mail = invite(capture, draft, owner, GUEST)
    judge_invitation_accept(token=token, user=guest)
    other, _token, _mail = invite(capture, draft, owner, "someone@else.example")
    judge_invitation_revoke(invitation_id=other.pk, actor=owner)
    assert [sentence for _event, sentence in challenge_history(draft)] == [
        f"{GUEST} invited to judge from outside the organisation",
        f"Grace Guest accepted the invitation to judge sent to {GUEST}",
        "someone@else.example invited to judge from outside the organisation",
        "Invitation to judge sent to someone@else.example withdrawn",
    ]
