"""The notifications API: one's own list with the unread count, marking read, and
following organisations (404 for a Seeker that hides its name)."""

import pytest
from django.urls import reverse

from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_transition
from marketplace.notifications.models import Notification, OrganizationFollow
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.services import notifications_send
from tests.api_calls import assert_error, call, client_for
from tests.factories import ChallengeFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ = "/api/v1/notifications/read/"


def follow_url(organization) -> str:
    return f"/api/v1/organizations/{organization.pk}/follow/"


def answered(user, challenge, key: str) -> Notification:
    notifications_send(kind=K.CLARIFICATION_ANSWERED, users=[user], key=key, challenge=challenge)
    return Notification.objects.get(key=f"{K.CLARIFICATION_ANSWERED}:{key}:{user.pk}")


@pytest.fixture
def challenge():
    return ChallengeFactory(state=S.OPEN, title="Quiet propeller")


class TestList:
    def test_anonymous_is_401(self):
        assert_error(call(None, "get", LIST), 401)

    def test_own_newest_first_with_unread_count(self, solver, challenge):
        older = answered(solver, challenge, "1")
        newer = answered(solver, challenge, "2")
        answered(UserFactory(), challenge, "3")
        Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
        body = call(solver, "get", LIST).json()
        assert (body["count"], body["unread"]) == (2, 1)
        assert [n["id"] for n in body["results"]] == [newer.pk, older.pk]
        item = body["results"][0]
        assert item["kind"] == "clarification_answered"
        assert item["subject"] == "Your question was answered: Quiet propeller"
        assert "“Quiet propeller”" in item["text"]
        assert item["url"] == (
            "http://testserver"
            + reverse("challenge_detail", args=[challenge.pk])
            + "#clarifications"
        )
        assert (item["challenge"], item["award"], item["read_at"]) == (challenge.pk, None, None)
        assert body["results"][1]["read_at"] is not None

    def test_unread_only(self, solver, challenge):
        read = answered(solver, challenge, "1")
        unread = answered(solver, challenge, "2")
        Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
        body = call(solver, "get", LIST + "?unread=true").json()
        assert [n["id"] for n in body["results"]] == [unread.pk]

    def test_in_the_requests_language(self, solver, challenge):
        answered(solver, challenge, "1")
        response = client_for(solver).get(LIST, headers={"accept-language": "es"})
        subject = response.json()["results"][0]["subject"]
        assert subject == "Su pregunta ha sido respondida: Quiet propeller"

    def test_pages(self, solver, challenge):
        for key in range(21):
            answered(solver, challenge, str(key))
        first = call(solver, "get", LIST).json()
        assert (len(first["results"]), first["previous"]) == (20, None)
        second = call(solver, "get", first["next"]).json()
        assert len(second["results"]) == 1 and second["next"] is None
        assert_error(call(solver, "get", LIST + "?page=9"), 404)


class TestRead:
    def test_named_ids_of_ones_own(self, solver, challenge):
        mine = [answered(solver, challenge, key) for key in ("1", "2")]
        theirs = answered(UserFactory(), challenge, "3")
        response = call(solver, "post", READ, {"ids": [mine[0].pk, theirs.pk]})
        assert response.status_code == 200
        assert response.json() == {"marked": 1, "unread": 1}
        assert Notification.objects.get(pk=theirs.pk).read_at is None

    def test_all_when_no_ids(self, solver, challenge):
        for key in ("1", "2"):
            answered(solver, challenge, key)
        assert call(solver, "post", READ, {}).json() == {"marked": 2, "unread": 0}
        assert call(solver, "post", READ, {}).json() == {"marked": 0, "unread": 0}

    @pytest.mark.parametrize("bad", ["x", 0, 2**63, 10**30])
    def test_bad_ids_are_400(self, solver, bad):
        body = assert_error(call(solver, "post", READ, {"ids": [bad]}), 400, "invalid")
        assert "ids.0" in body["fields"]

    def test_anonymous_is_401(self):
        assert_error(call(None, "post", READ, {}), 401)


class TestFollow:
    def test_follow_twice_then_unfollow(self, solver, org):
        ChallengeFactory(organization=org, state=S.OPEN)
        for _ in range(2):
            response = call(solver, "post", follow_url(org))
            assert response.status_code == 200
            assert response.json() == {"organization": org.pk, "following": True}
        assert OrganizationFollow.objects.filter(user=solver, organization=org).count() == 1
        for _ in range(2):
            assert call(solver, "delete", follow_url(org)).status_code == 204
        assert not OrganizationFollow.objects.exists()

    @pytest.mark.parametrize(
        "challenges",
        [
            [{"state": S.OPEN, "hide_seeker": True}],
            [{"state": S.DRAFT}, {"state": S.AWAITING_FUNDING}],
            [],
        ],
        ids=["anonymous-seeker", "nothing-published", "no-challenge"],
    )
    def test_an_organisation_not_publicly_known_is_404(self, solver, challenges):
        organization = OrganizationFactory()
        for fields in challenges:
            ChallengeFactory(organization=organization, **fields)
        assert_error(call(solver, "post", follow_url(organization)), 404, "not_found")
        assert not OrganizationFollow.objects.exists()

    def test_anonymous_is_401(self, org):
        ChallengeFactory(organization=org, state=S.OPEN)
        assert_error(call(None, "post", follow_url(org)), 401)

    def test_a_follower_hears_of_the_next_challenge(self, solver, org, owner):
        ChallengeFactory(organization=org, state=S.OPEN)
        call(solver, "post", follow_url(org))
        upcoming = ChallengeFactory(
            organization=org, created_by=owner, state=S.AWAITING_FUNDING, funded=True
        )
        challenge_transition(challenge_id=upcoming.pk, name="open", actor=owner)
        [item] = call(solver, "get", LIST).json()["results"]
        assert (item["kind"], item["challenge"]) == ("challenge_opened", upcoming.pk)
