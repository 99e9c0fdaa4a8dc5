"""The staff review queue and the staff decisions on a challenge."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeEvent, PlannedAward, Requirement
from marketplace.challenges.models import ChallengeState as S
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("staff_review_queue")


def action(challenge, name) -> str:
    return reverse("staff_challenge_action", args=[challenge.pk, name])


def state_of(challenge) -> str:
    return Challenge.objects.get(pk=challenge.pk).state


@pytest.fixture
def in_review(org):
    return ChallengeFactory(state=S.IN_REVIEW, organization=org)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


class TestQueue:
    @pytest.mark.parametrize("who", ["anonymous", "solver", "owner", "outsider"])
    def test_404_for_everyone_but_staff(self, client, request, in_review, who):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        assert client.get(QUEUE).status_code == 404

    def test_lists_challenges_in_review_oldest_first_with_full_content(self, staff_client, org):
        old = ChallengeFactory(
            state=S.IN_REVIEW,
            organization=org,
            title="Old one",
            plan=False,
            brief="## Method\nUse **enzymes**.",
            prize_pool=3_000_000,
            hide_seeker=True,
        )
        Requirement.objects.create(challenge=old, position=1, title="Cheap", weight=60)
        Requirement.objects.create(challenge=old, position=2, title="Safe", weight=40)
        PlannedAward.objects.create(challenge=old, position=1, amount=2_000_000)
        PlannedAward.objects.create(challenge=old, position=2, amount=1_000_000)
        Challenge.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
        ChallengeFactory(state=S.IN_REVIEW, organization=org, title="New one")
        ChallengeFactory(state=S.DRAFT, organization=org, title="Still a draft")

        content = staff_client.get(QUEUE).content.decode()
        assert content.index("Old one") < content.index("New one")
        assert "Still a draft" not in content
        for text in (
            old.summary,
            "<h2>Method</h2>",
            "<strong>enzymes</strong>",
            "Cheap",
            "weight 60 %",
            "weight 40 %",
            "$30,000.00",
            "$20,000.00",
            "$10,000.00",
            "Exclusive IP transfer",
            org.name,
            action(old, "approve"),
            action(old, "return_to_draft"),
            action(old, "reject"),
        ):
            assert text in content

    def test_queries_do_not_grow_with_the_queue(
        self, staff_client, org, django_assert_max_num_queries
    ):
        ChallengeFactory.create_batch(2, state=S.IN_REVIEW, organization=org)
        with django_assert_max_num_queries(12) as few:
            staff_client.get(QUEUE)
        ChallengeFactory.create_batch(8, state=S.IN_REVIEW, organization=org)
        with django_assert_max_num_queries(len(few.captured_queries)):
            staff_client.get(QUEUE)


class TestDecisions:
    def test_approve(self, staff_client, in_review, staff):
        response = staff_client.post(action(in_review, "approve"), follow=True)
        assert response.redirect_chain == [(QUEUE, 302)]
        assert "is now Awaiting funding" in response.content.decode()
        assert state_of(in_review) == S.AWAITING_FUNDING
        assert ChallengeEvent.objects.get(challenge=in_review).actor == staff

    @pytest.mark.parametrize(
        ("name", "target"), [("return_to_draft", S.DRAFT), ("reject", S.CANCELLED)]
    )
    def test_return_and_reject_record_the_reason(self, staff_client, in_review, name, target):
        staff_client.post(action(in_review, name), {"reason": "Say which sea water."})
        assert state_of(in_review) == target
        assert ChallengeEvent.objects.get(challenge=in_review).reason == "Say which sea water."

    @pytest.mark.parametrize("name", ["return_to_draft", "reject"])
    def test_missing_reason_is_refused_and_changes_nothing(self, staff_client, in_review, name):
        response = staff_client.post(action(in_review, name), {"reason": "  "}, follow=True)
        assert "Give a reason for this action." in response.content.decode()
        assert state_of(in_review) == S.IN_REVIEW
        assert not ChallengeEvent.objects.exists()

    def test_illegal_action_is_shown_and_changes_nothing(self, staff_client, org):
        draft = ChallengeFactory(organization=org)
        response = staff_client.post(action(draft, "approve"), follow=True)
        assert "is not possible while the challenge is Draft" in response.content.decode()
        assert state_of(draft) == S.DRAFT

    @pytest.mark.parametrize("who", ["anonymous", "solver", "owner"])
    def test_non_staff_get_404_and_nothing_changes(self, client, request, in_review, who):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        response = client.post(action(in_review, "approve"))
        assert response.status_code == 404
        assert state_of(in_review) == S.IN_REVIEW

    @pytest.mark.parametrize("name", ["open", "submit", "delete"])
    def test_other_actions_are_404(self, staff_client, in_review, name):
        assert staff_client.post(action(in_review, name)).status_code == 404
        assert state_of(in_review) == S.IN_REVIEW

    def test_get_is_refused(self, staff_client, in_review):
        assert staff_client.get(action(in_review, "approve")).status_code == 405
        assert state_of(in_review) == S.IN_REVIEW


class TestCancel:
    @pytest.fixture
    def published(self, org):
        return ChallengeFactory(state=S.OPEN, organization=org)

    def test_staff_cancels_a_published_challenge_with_a_reason(self, staff_client, published):
        page = staff_client.get(reverse("challenge_detail", args=[published.pk])).content.decode()
        assert action(published, "cancel") in page
        response = staff_client.post(action(published, "cancel"), {"reason": "Fraud"}, follow=True)
        assert response.redirect_chain == [(reverse("challenge_detail", args=[published.pk]), 302)]
        assert "is now Cancelled" in response.content.decode()
        assert state_of(published) == S.CANCELLED
        assert ChallengeEvent.objects.get(challenge=published).reason == "Fraud"

    def test_cancel_without_reason_is_refused(self, staff_client, published):
        response = staff_client.post(action(published, "cancel"), follow=True)
        assert "Give a reason for this action." in response.content.decode()
        assert state_of(published) == S.OPEN

    def test_owner_sees_no_cancel_form_and_cannot_cancel(self, client, owner, published):
        client.force_login(owner)
        page = client.get(reverse("challenge_detail", args=[published.pk])).content.decode()
        assert action(published, "cancel") not in page
        assert client.post(action(published, "cancel"), {"reason": "x"}).status_code == 404
        assert state_of(published) == S.OPEN
