"""The pages of judges invited from outside the organisation: the invite form and the
pending invitations on the judges page, withdrawing one, and the invitation's page
(signing in first, accepting, and every link that cannot be used)."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from marketplace.accounts.signup import site_terms
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.judging.invitations import judge_invitation_revoke
from marketplace.judging.models import JudgeAssignment, JudgeInvitation
from tests.factories import PASSWORD, ChallengeFactory
from tests.judging.invites import LINK, invite, verified_user

pytestmark = pytest.mark.django_db

GUEST = "guest@university.example"
CONFIRM = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def judges_url(challenge):
    return reverse("seekers:judges", args=[challenge.pk])


def invite_url(challenge):
    return reverse("seekers:judge_invite", args=[challenge.pk])


def link(token):
    return reverse("seekers:judge_invitation", args=[token])


def as_user(client, user):
    client.force_login(user)
    return client


class TestInviting:
    def test_the_owner_invites_and_sees_it_pending(self, client, capture, owner, draft):
        mail.outbox.clear()
        with capture(execute=True):
            response = as_user(client, owner).post(invite_url(draft), {"email": GUEST})
        assert response.status_code == 302
        assert [m.to for m in mail.outbox] == [[GUEST]]
        html = client.get(response.url).content.decode()
        assert f"Invitation to judge sent to {GUEST}." in html
        assert "Pending invitations" in html and GUEST in html
        invitation = JudgeInvitation.objects.get()
        assert reverse("seekers:judge_invitation_revoke", args=[draft.pk, invitation.pk]) in html

    def test_the_page_explains_members_are_assigned_not_invited(self, client, owner, draft):
        html = as_user(client, owner).get(judges_url(draft)).content.decode()
        assert "Invite a judge from outside the organisation" in html
        assert "The organisation's members cannot be invited here" in html

    def test_a_members_address_is_refused_on_the_form(self, client, owner, judge, draft):
        response = as_user(client, owner).post(invite_url(draft), {"email": judge.email})
        assert response.status_code == 400
        assert "is a member of the organisation" in response.content.decode()
        assert not JudgeInvitation.objects.exists()

    def test_a_bad_address_is_refused_on_the_form(self, client, owner, draft):
        response = as_user(client, owner).post(invite_url(draft), {"email": "nobody"})
        assert response.status_code == 400
        assert "Enter a valid email address." in response.content.decode()

    def test_inviting_twice_keeps_one_pending(self, client, capture, owner, draft):
        with capture(execute=True):
            as_user(client, owner).post(invite_url(draft), {"email": GUEST})
            client.post(invite_url(draft), {"email": GUEST.upper()})
        html = client.get(judges_url(draft)).content.decode()
        assert html.count(f"<td>{GUEST}</td>") == 1

    @pytest.mark.parametrize("who", ["manager", "judge"])
    def test_other_members_cannot_invite_nor_see_the_form(self, client, request, draft, who):
        user = request.getfixturevalue(who)
        html = as_user(client, user).get(judges_url(draft)).content.decode()
        assert "Invite a judge from outside" not in html
        response = client.post(invite_url(draft), {"email": GUEST})
        assert response.status_code == 302
        assert not JudgeInvitation.objects.exists()

    def test_no_invitations_once_judging_is_over(self, client, owner, draft):
        Challenge.objects.filter(pk=draft.pk).update(state=S.AWARDING)
        html = as_user(client, owner).get(judges_url(draft)).content.decode()
        assert "Invite a judge from outside" not in html
        client.post(invite_url(draft), {"email": GUEST})
        assert not JudgeInvitation.objects.exists()

    def test_the_owner_withdraws_an_invitation(self, client, capture, owner, draft):
        invitation, _token, _mail = invite(capture, draft, owner, GUEST)
        revoke = reverse("seekers:judge_invitation_revoke", args=[draft.pk, invitation.pk])
        response = as_user(client, owner).post(revoke)
        assert response.status_code == 302
        assert JudgeInvitation.objects.get().revoked_at is not None
        html = client.get(response.url).content.decode()
        assert f"The invitation to {GUEST} was withdrawn." in html
        assert f"<td>{GUEST}</td>" not in html

    def test_an_invitation_through_another_challenge_is_404(
        self, client, capture, org, owner, draft
    ):
        invitation, _token, _mail = invite(capture, draft, owner, GUEST)
        elsewhere = ChallengeFactory(organization=org, created_by=owner)
        revoke = reverse("seekers:judge_invitation_revoke", args=[elsewhere.pk, invitation.pk])
        assert as_user(client, owner).post(revoke).status_code == 404
        assert JudgeInvitation.objects.get().revoked_at is None


class TestAccepting:
    def test_signed_out_they_are_asked_to_sign_in_and_come_back(
        self, client, capture, owner, draft
    ):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        html = client.get(link(token)).content.decode()
        assert escape(draft.title) in html
        login = f"{reverse('account_login')}?next={quote(link(token))}"
        assert escape(login) in html
        verified_user(GUEST)
        response = client.post(
            reverse("account_login") + f"?next={link(token)}",
            {"login": GUEST, "password": PASSWORD, "next": link(token)},
        )
        assert response.status_code == 302 and response.url == link(token)

    def test_signing_in_does_not_follow_a_foreign_next(self, client):
        verified_user(GUEST)
        response = client.post(
            reverse("account_login"),
            {"login": GUEST, "password": PASSWORD, "next": "https://evil.example/"},
        )
        assert response.status_code == 302 and "evil.example" not in response.url

    def test_accepting_leads_to_the_workspace(self, client, capture, owner, draft):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        guest = verified_user(GUEST)
        html = as_user(client, guest).get(link(token)).content.decode()
        assert "Accept the invitation" in html and f"You will judge as {GUEST}." in html
        response = client.post(link(token))
        assert response.url == reverse("seekers:judging", args=[draft.pk])
        assert JudgeAssignment.objects.get(challenge=draft).judge == guest
        html = client.get(response.url).content.decode()
        assert escape(f"You now judge “{draft.title}”.") in html
        assert f'href="{reverse("challenge_detail", args=[draft.pk])}"' in html
        assert f'href="{reverse("seekers:challenge_manage", args=[draft.pk])}"' not in html

    def test_another_account_gets_a_clear_refusal(self, client, capture, owner, draft):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        as_user(client, verified_user())
        for response in (client.get(link(token)), client.post(link(token))):
            assert response.status_code == 403
            html = response.content.decode()
            assert "This invitation was sent to another e-mail address." in html
            assert "Accept the invitation" not in html
            assert f'name="next" value="{link(token)}"' in html
        assert not JudgeAssignment.objects.exists()

    def test_a_wrong_link_is_404_with_a_page(self, client, solver):
        response = as_user(client, solver).get(link("not-a-real-token"))
        assert response.status_code == 404
        assert "This invitation link is not valid." in response.content.decode()

    @pytest.mark.parametrize(
        ("spoil", "text"),
        [
            ("revoke", "This invitation was withdrawn by the challenge"),
            ("expire", "This invitation has expired."),
            ("use", "This invitation has already been accepted."),
            ("end", "Judging of this challenge has ended"),
        ],
    )
    def test_a_link_that_cannot_be_used_says_why(self, client, capture, owner, draft, spoil, text):
        invitation, token, _mail = invite(capture, draft, owner, GUEST)
        guest = verified_user(GUEST)
        if spoil == "revoke":
            judge_invitation_revoke(invitation_id=invitation.pk, actor=owner)
        elif spoil == "expire":
            JudgeInvitation.objects.filter(pk=invitation.pk).update(
                expires_at=timezone.now() - timedelta(minutes=1)
            )
        elif spoil == "use":
            as_user(client, guest).post(link(token))
        else:
            Challenge.objects.filter(pk=draft.pk).update(state=S.AWARDING)
        for response in (client.get(link(token)), as_user(client, guest).post(link(token))):
            assert response.status_code == 410
            assert escape(text) in response.content.decode()

    def test_the_page_in_spanish(self, client, capture, owner, draft):
        _invitation, token, _mail = invite(capture, draft, owner, GUEST)
        html = client.get(link(token), headers={"accept-language": "es"}).content.decode()
        assert "Invitación para evaluar" in html and "Iniciar sesión" in html


def test_the_link_in_the_email_opens_the_page(client, capture, owner, draft):
    _invitation, _token, message = invite(capture, draft, owner, GUEST)
    path = "/seeker/judge-invitations/" + LINK.search(message.body).group(1) + "/"
    assert client.get(path).status_code == 200


def test_signing_up_from_the_invitation_comes_back_to_it(client, capture, owner, draft):
    _invitation, token, _mail = invite(capture, draft, owner, GUEST)
    signup = f"{reverse('account_signup')}?next={quote(link(token))}"
    assert escape(signup) in client.get(link(token)).content.decode()
    mail.outbox.clear()
    response = client.post(
        signup,
        {
            "full_name": "Grace Guest",
            "email": GUEST,
            "password1": "a-Long-passphrase-77",
            "password2": "a-Long-passphrase-77",
            "terms": "on",
            "terms_sha256": site_terms().sha256,
            "next": link(token),
        },
    )
    assert response.status_code == 302
    (confirmation,) = mail.outbox
    confirm = CONFIRM.search(confirmation.body).group(1)
    response = client.post(confirm)
    assert response.status_code == 302 and response.url == link(token)
    assert client.post(link(token)).url == reverse("seekers:judging", args=[draft.pk])
    assert JudgeAssignment.objects.get(challenge=draft).judge.email == GUEST
