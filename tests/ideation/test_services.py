"""Supporting, withdrawing, commenting, reporting and hiding ideas: what is counted,
what fires, and every refusal leaving nothing changed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.core.errors import IllegalTransition, LimitReached, NotAllowed
from marketplace.ideation.models import Comment, Idea, Report, Support
from marketplace.ideation.services import (
    comment_hide,
    idea_comment,
    idea_hide,
    idea_report,
    idea_support,
    idea_support_withdraw,
)
from marketplace.notifications.models import Notification, NotificationKind
from tests.factories import (
    ChallengeFactory,
    UserFactory,
    idea_challenge,
    idea_for,
    verified_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(org, owner):
    return idea_challenge(org, owner, support_threshold=10)


@pytest.fixture
def idea(challenge):
    return idea_for(challenge)


def _count(idea) -> int:
    return Idea.objects.get(pk=idea.pk).supports


def test_support_counts_once_and_withdraw_takes_it_back(idea):
    fan = verified_user()
    assert idea_support(submission_id=idea.pk, user=fan) == 1
    with pytest.raises(IllegalTransition) as twice:
        idea_support(submission_id=idea.pk, user=fan)
    assert twice.value.code == "supported"
    assert _count(idea) == 1 and Support.objects.count() == 1
    assert idea_support_withdraw(submission_id=idea.pk, user=fan) == 0
    assert not Support.objects.exists()
    with pytest.raises(IllegalTransition):
        idea_support_withdraw(submission_id=idea.pk, user=fan)
    assert _count(idea) == 0


def test_one_support_per_person_is_a_database_constraint(idea):
    fan = verified_user()
    Support.objects.create(submission=idea, user=fan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(submission=idea, user=fan)


def test_threshold_fires_once_and_notifies_the_owner(challenge, idea, owner):
    fans = [verified_user() for _ in range(12)]
    for fan in fans[:9]:
        idea_support(submission_id=idea.pk, user=fan)
    assert Idea.objects.get(pk=idea.pk).threshold_reached_at is None
    assert not Notification.objects.filter(kind=NotificationKind.IDEA_THRESHOLD_REACHED)
    idea_support(submission_id=idea.pk, user=fans[9])
    reached = Idea.objects.get(pk=idea.pk).threshold_reached_at
    assert reached is not None
    idea_support_withdraw(submission_id=idea.pk, user=fans[9])
    idea_support(submission_id=idea.pk, user=fans[10])
    idea_support(submission_id=idea.pk, user=fans[11])
    assert Idea.objects.get(pk=idea.pk).threshold_reached_at == reached
    notices = Notification.objects.filter(kind=NotificationKind.IDEA_THRESHOLD_REACHED)
    assert [n.user for n in notices] == [owner]
    assert ChallengeEvent.objects.filter(name="idea_threshold_reached").count() == 1


def _refused(error, idea, user, code=None):
    before = (
        _count(idea) if Idea.objects.filter(pk=idea.pk).exists() else 0,
        Support.objects.count(),
    )
    with pytest.raises(error) as refused:
        idea_support(submission_id=idea.pk, user=user)
    after = (
        _count(idea) if Idea.objects.filter(pk=idea.pk).exists() else 0,
        Support.objects.count(),
    )
    assert after == before
    if code:
        assert refused.value.code == code


def test_supporting_your_own_idea_is_refused(idea):
    _refused(NotAllowed, idea, idea.author)


def test_supporting_needs_a_verified_email(idea):
    _refused(NotAllowed, idea, UserFactory())


def test_supporting_after_the_deadline_is_refused(challenge, idea):
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )
    _refused(IllegalTransition, idea, verified_user(), "closed")


def test_supporting_a_hidden_idea_is_refused(idea, staff):
    idea_hide(submission_id=idea.pk, actor=staff, reason="Spam")
    _refused(ValidationError, idea, verified_user())


def test_supporting_on_a_sealed_challenge_is_refused(org, owner):
    sealed = ChallengeFactory(organization=org, created_by=owner, state="open")
    entry = idea_for(sealed)
    _refused(IllegalTransition, entry, verified_user(), "sealed")


def test_supporting_is_throttled_per_account_and_per_address(challenge, settings):
    settings.IDEA_SUPPORTS_PER_HOUR_ACCOUNT = 2
    settings.IDEA_SUPPORTS_PER_HOUR_IP = 3
    ideas = [idea_for(challenge) for _ in range(4)]
    fan = verified_user()
    idea_support(submission_id=ideas[0].pk, user=fan, ip="10.0.0.1")
    idea_support(submission_id=ideas[1].pk, user=fan, ip="10.0.0.1")
    with pytest.raises(LimitReached) as limited:
        idea_support(submission_id=ideas[2].pk, user=fan, ip="10.0.0.1")
    assert limited.value.retry_after >= 1
    other = verified_user()
    with pytest.raises(LimitReached):  # the address's third was counted, this is its fourth
        idea_support(submission_id=ideas[3].pk, user=other, ip="10.0.0.1")
    assert Support.objects.count() == 2


def test_a_threshold_below_ten_is_refused_by_the_database(challenge):
    with pytest.raises(IntegrityError), transaction.atomic():
        Challenge.objects.filter(pk=challenge.pk).update(support_threshold=9)
    assert Challenge.objects.get(pk=challenge.pk).support_threshold == 10


def test_comments_are_limited_to_5000_characters(idea):
    writer = verified_user()
    with pytest.raises(ValidationError) as refused:
        idea_comment(submission_id=idea.pk, author=writer, body="x" * 5001)
    assert "body" in refused.value.message_dict
    assert not Comment.objects.exists()
    idea_comment(submission_id=idea.pk, author=writer, body="x" * 5000)
    assert Comment.objects.count() == 1


def test_comments_need_a_verified_email(idea):
    with pytest.raises(NotAllowed):
        idea_comment(submission_id=idea.pk, author=UserFactory(), body="Nice")
    assert not Comment.objects.exists()


def test_staff_hide_an_idea_and_a_comment_with_a_reason(idea, staff):
    reader = verified_user()
    comment = idea_comment(submission_id=idea.pk, author=reader, body="Buy pills")
    idea_report(submission_id=idea.pk, reporter=reader, reason="Looks copied")
    idea_report(submission_id=idea.pk, reporter=idea.author, reason="Spam", comment_id=comment.pk)
    assert Report.objects.filter(resolved_at__isnull=True).count() == 2
    comment_hide(comment_id=comment.pk, actor=staff, reason="Advertising")
    idea_hide(submission_id=idea.pk, actor=staff, reason="Copied from a journal")
    assert Comment.objects.get(pk=comment.pk).hidden_reason == "Advertising"
    assert Idea.objects.get(pk=idea.pk).hidden_reason == "Copied from a journal"
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    with pytest.raises(NotAllowed):
        idea_hide(submission_id=idea.pk, actor=reader, reason="x")
    with pytest.raises(ValidationError):
        comment_hide(comment_id=comment.pk, actor=staff, reason="  ")
