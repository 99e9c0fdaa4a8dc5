"""The API of invitations to judge from outside the organisation: the owners invite,
list the pending invitations and withdraw one."""

import pytest
import yaml
from django.core import mail

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.judging.models import JudgeInvitation
from tests.api_calls import assert_error, call, db_state

pytestmark = pytest.mark.django_db

GUEST = "guest@university.example"


def url(challenge, invitation=None):
    base = f"/api/v1/challenges/{challenge.pk}/judge-invitations/"
    return f"{base}{invitation.pk}/" if invitation else base


def test_the_schema_documents_the_endpoints(client):
    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    invitations = paths["/api/v1/challenges/{id}/judge-invitations/"]
    assert set(invitations) >= {"get", "post"}
    assert "delete" in paths["/api/v1/challenges/{id}/judge-invitations/{invitation_id}/"]


class TestInviting:
    def test_the_owner_invites_and_the_mail_goes_out(
        self, django_capture_on_commit_callbacks, owner, draft
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = call(owner, "post", url(draft), {"email": GUEST})
        assert response.status_code == 201
        body = response.json()
        assert (body["email"], body["invited_by"]["id"], body["expired"]) == (
            GUEST,
            owner.pk,
            False,
        )
        assert "token" not in body and "token_hash" not in body
        assert [m.to for m in mail.outbox] == [[GUEST]]

    def test_inviting_again_keeps_one(self, owner, draft):
        first = call(owner, "post", url(draft), {"email": GUEST}).json()
        again = call(owner, "post", url(draft), {"email": GUEST.upper()}).json()
        assert first["id"] == again["id"]
        assert [i["email"] for i in call(owner, "get", url(draft)).json()] == [GUEST]

    def test_a_members_address_is_a_400_on_the_field(self, owner, judge, draft):
        body = assert_error(call(owner, "post", url(draft), {"email": judge.email}), 400)
        assert "is a member of the organisation" in body["fields"]["email"][0]

    def test_a_malformed_address_is_a_400(self, owner, draft):
        assert_error(call(owner, "post", url(draft), {"email": "nobody"}), 400, "invalid")

    def test_409_once_judging_has_ended(self, owner, draft):
        Challenge.objects.filter(pk=draft.pk).update(state=S.AWARDING)
        assert_error(call(owner, "post", url(draft), {"email": GUEST}), 409)

    @pytest.mark.parametrize("who", ["manager", "judge"])
    def test_other_members_are_403_and_nothing_is_written(self, request, draft, who):
        user = request.getfixturevalue(who)
        before = db_state()
        assert_error(call(user, "post", url(draft), {"email": GUEST}), 403)
        assert_error(call(user, "get", url(draft)), 403)
        assert db_state() == before

    @pytest.mark.parametrize("who", ["solver", "outsider"])
    def test_outside_the_organisation_is_404(self, request, draft, who):
        user = request.getfixturevalue(who)
        assert_error(call(user, "post", url(draft), {"email": GUEST}), 404)
        assert not JudgeInvitation.objects.exists()

    def test_signed_out_is_401(self, draft):
        assert_error(call(None, "get", url(draft)), 401)


class TestListingAndWithdrawing:
    def test_staff_list_and_the_owner_withdraws(self, owner, staff, draft):
        invitation_id = call(owner, "post", url(draft), {"email": GUEST}).json()["id"]
        listed = call(staff, "get", url(draft)).json()
        assert [(i["id"], i["email"]) for i in listed] == [(invitation_id, GUEST)]
        invitation = JudgeInvitation.objects.get(pk=invitation_id)
        assert call(owner, "delete", url(draft, invitation)).status_code == 204
        assert JudgeInvitation.objects.get().revoked_at is not None
        assert call(owner, "get", url(draft)).json() == []

    def test_a_manager_cannot_withdraw(self, owner, manager, draft):
        call(owner, "post", url(draft), {"email": GUEST})
        invitation = JudgeInvitation.objects.get()
        assert_error(call(manager, "delete", url(draft, invitation)), 403)
        assert JudgeInvitation.objects.get().revoked_at is None

    def test_an_unknown_invitation_is_404(self, owner, draft):
        assert_error(call(owner, "delete", f"{url(draft)}999999/"), 404)
