"""An organisation's invitations: one pending invitation per address (renewed and sent
again, at most once a day, never duplicated) and at most ORGANISATION_INVITATIONS_PER_DAY
sent in any 24 hours; in the service, the API and the members page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.core.errors import LimitReached
from marketplace.organisations.models import Invitation
from marketplace.organisations.roles import OrgRole
from marketplace.organisations.services import invitation_send
from tests.api_calls import assert_error, call

pytestmark = pytest.mark.django_db

GUEST = "guest@example.com"


@pytest.fixture
def send(org, owner, django_capture_on_commit_callbacks):
    def send(email=GUEST, role=OrgRole.JUDGE):
        with django_capture_on_commit_callbacks(execute=True):
            return invitation_send(organization_id=org.pk, actor=owner, email=email, role=role)

    return send


def _sent_ago(invitation, delta):
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - delta)


def test_the_same_address_is_not_invited_twice_in_a_day(send):
    first = send()
    with pytest.raises(LimitReached) as refused:
        send(email=GUEST.upper(), role=OrgRole.MANAGER)
    assert refused.value.code == "already_invited"
    assert 86_000 < refused.value.retry_after <= 86_400
    assert "guest@example.com was invited less than a day ago" in refused.value.message
    assert list(Invitation.objects.values_list("pk", "role", "times_sent")) == [
        (first.pk, OrgRole.JUDGE, 1)
    ]
    assert len(mail.outbox) == 1


def test_a_pending_invitation_a_day_old_is_renewed_not_duplicated(send, owner):
    first = send()
    _sent_ago(first, timedelta(days=1, minutes=1))
    renewed = send(role=OrgRole.MANAGER)
    assert renewed.pk == first.pk
    row = Invitation.objects.get()
    assert (row.role, row.times_sent, row.token) == (OrgRole.MANAGER, 2, first.token)
    assert timezone.now() - row.sent_at < timedelta(minutes=1)
    assert [m.to for m in mail.outbox] == [[GUEST], [GUEST]]
    assert first.token in mail.outbox[1].body


def test_an_accepted_invitation_does_not_block_a_new_one(send):
    first = send()
    Invitation.objects.filter(pk=first.pk).update(accepted_at=timezone.now())
    assert send().pk != first.pk  # e.g. invited again after being removed


def test_an_organisation_sends_at_most_the_daily_cap(send, settings):
    settings.ORGANISATION_INVITATIONS_PER_DAY = 3
    oldest = send(email="a@example.com")
    _sent_ago(oldest, timedelta(hours=20))
    send(email="b@example.com")
    send(email="c@example.com")
    with pytest.raises(LimitReached) as refused:
        send(email="d@example.com")
    assert refused.value.code == "invitation_limit"
    assert "has sent 3 invitations in the last 24 hours" in refused.value.message
    # a place frees when the oldest send is a day old: in four hours
    assert 4 * 3600 - 60 < refused.value.retry_after <= 4 * 3600
    assert Invitation.objects.count() == 3
    assert len(mail.outbox) == 3


def test_sends_older_than_a_day_do_not_count(send, settings):
    settings.ORGANISATION_INVITATIONS_PER_DAY = 2
    for email in ("a@example.com", "b@example.com"):
        _sent_ago(send(email=email), timedelta(days=1, seconds=1))
    send(email="c@example.com")
    send(email="d@example.com")
    assert Invitation.objects.count() == 4


def test_a_renewal_counts_against_the_cap(send, settings):
    settings.ORGANISATION_INVITATIONS_PER_DAY = 2
    _sent_ago(send(), timedelta(days=2))
    send(email="b@example.com")
    send()  # renewed: two sent in the last day
    with pytest.raises(LimitReached):
        send(email="c@example.com")


class TestApi:
    def url(self, org):
        return f"/api/v1/organizations/{org.pk}/invitations/"

    def test_a_renewal_answers_200_with_the_same_invitation(self, org, owner):
        created = call(owner, "post", self.url(org), {"email": GUEST, "role": "judge"})
        assert created.status_code == 201
        Invitation.objects.update(sent_at=timezone.now() - timedelta(days=3))
        renewed = call(owner, "post", self.url(org), {"email": GUEST, "role": "manager"})
        assert renewed.status_code == 200, renewed.content
        assert renewed.json()["id"] == created.json()["id"]
        assert (renewed.json()["role"], renewed.json()["times_sent"]) == ("manager", 2)
        assert renewed.json()["sent_at"] > created.json()["sent_at"]

    def test_a_second_invitation_the_same_day_is_429(self, org, owner):
        call(owner, "post", self.url(org), {"email": GUEST, "role": "judge"})
        response = call(owner, "post", self.url(org), {"email": GUEST, "role": "judge"})
        body = assert_error(response, 429, "already_invited")
        assert body["retry_after"] == int(response["Retry-After"]) > 86_000
        assert Invitation.objects.count() == 1

    def test_over_the_daily_cap_is_429_in_the_request_language(self, org, owner, settings):
        settings.ORGANISATION_INVITATIONS_PER_DAY = 1
        call(owner, "post", self.url(org), {"email": GUEST, "role": "judge"})
        response = call(
            owner, "post", self.url(org), {"email": "b@example.com", "role": "judge"}, "es"
        )
        body = assert_error(response, 429, "invitation_limit")
        assert int(response["Retry-After"]) == body["retry_after"]
        assert body["detail"].startswith("Su organización ha enviado 1 invitación")
        assert Invitation.objects.count() == 1


class TestPage:
    def test_the_members_page_renews_and_says_so(self, client, org, owner):
        client.force_login(owner)
        url = reverse("seekers:organization_members", args=[org.pk])
        client.post(url, {"email": GUEST, "role": OrgRole.JUDGE})
        Invitation.objects.update(sent_at=timezone.now() - timedelta(days=2))
        response = client.post(url, {"email": GUEST, "role": OrgRole.JUDGE}, follow=True)
        messages = [str(m) for m in response.context["messages"]]
        assert messages[-1] == (
            "The pending invitation to guest@example.com was renewed and sent again."
        )
        assert Invitation.objects.get().times_sent == 2

    def test_the_members_page_shows_the_cap(self, client, org, owner, settings):
        settings.ORGANISATION_INVITATIONS_PER_DAY = 1
        client.force_login(owner)
        url = reverse("seekers:organization_members", args=[org.pk])
        client.post(url, {"email": GUEST, "role": OrgRole.JUDGE})
        response = client.post(url, {"email": "b@example.com", "role": OrgRole.JUDGE})
        messages = [str(m) for m in response.context["messages"]]
        assert any("has sent 1 invitation in the last 24 hours" in m for m in messages)
        assert Invitation.objects.count() == 1
