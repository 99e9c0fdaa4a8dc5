"""Every rule of a challenge's content, checked once in the service layer."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.challenges.inputs import ChallengeInput, RequirementInput
from marketplace.challenges.models import Challenge, PlannedAward, Requirement
from marketplace.challenges.models import ChallengeState as S
from marketplace.challenges.services import challenge_create, challenge_update
from marketplace.core.errors import IllegalTransition, NotAllowed
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def valid(**changes) -> ChallengeInput:
    now = timezone.now()
    data = ChallengeInput(
        title="Cheap nitrate sensor",
        summary="A sensor.",
        brief="Details.",
        kind="ideation",
        prize_pool=1_000_000,
        currency="USD",
        ip_model="licence",
        submission_deadline=now + timedelta(days=30),
        judging_deadline=now + timedelta(days=60),
        requirements=[RequirementInput("Accuracy", 60), RequirementInput("Cost", 40)],
        award_amounts=[700_000, 300_000],
    )
    return replace(data, **changes)


@pytest.fixture
def errors_of(org, owner):
    """Create with bad data; return the field errors after checking nothing was written."""

    def attempt(data) -> dict:
        with pytest.raises(ValidationError) as exc:
            challenge_create(organization_id=org.pk, actor=owner, data=data)
        assert not Challenge.objects.exists()
        return exc.value.message_dict

    return attempt


def test_valid_input_creates_draft_with_children(org, owner):
    challenge = challenge_create(organization_id=org.pk, actor=owner, data=valid())
    assert challenge.state == S.DRAFT
    assert list(Requirement.objects.values_list("title", "weight")) == [
        ("Accuracy", 60),
        ("Cost", 40),
    ]
    assert list(PlannedAward.objects.values_list("amount", flat=True)) == [700_000, 300_000]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"prize_pool": -100}, "prize_pool"),
        ({"prize_pool": 0}, "prize_pool"),
        ({"prize_pool": 12.5}, "prize_pool"),
        ({"prize_pool": 12.0}, "prize_pool"),
        ({"prize_pool": "1000000"}, "prize_pool"),
        ({"prize_pool": True}, "prize_pool"),
        ({"prize_pool": 10**19}, "prize_pool"),
        ({"award_amounts": [500_000, 400_000]}, "award_amounts"),
        ({"award_amounts": []}, "award_amounts"),
        ({"award_amounts": [1_000_001, -1]}, "award_amounts"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "usd"}, "currency"),
        ({"submission_deadline": timezone.now() - timedelta(minutes=1)}, "submission_deadline"),
        ({"kind": "lottery"}, "kind"),
        ({"ip_model": "mine"}, "ip_model"),
        ({"title": "   "}, "title"),
        ({"requirements": []}, "requirements"),
        ({"requirements": [RequirementInput(f"R{i}", 10) for i in range(11)]}, "requirements"),
        ({"requirements": [RequirementInput("A", 50), RequirementInput("B", 40)]}, "requirements"),
        ({"requirements": [RequirementInput("A", 100), RequirementInput("B", 0)]}, "requirements"),
    ],
)
def test_bad_input_is_refused_with_a_field_error(errors_of, changes, field):
    assert field in errors_of(valid(**changes))


def test_judging_deadline_must_follow_submission(errors_of):
    data = valid()
    assert "judging_deadline" in errors_of(replace(data, judging_deadline=data.submission_deadline))


def test_several_errors_reported_at_once(errors_of):
    assert {"prize_pool", "currency", "title"} <= set(
        errors_of(valid(prize_pool=0, currency="", title=""))
    )


def test_only_editors_create(org, judge, outsider):
    for user in (judge, outsider):
        with pytest.raises(NotAllowed):
            challenge_create(organization_id=org.pk, actor=user, data=valid())
    assert not Challenge.objects.exists()


def test_update_replaces_content_of_a_draft(draft, owner):
    challenge_update(
        challenge_id=draft.pk,
        actor=owner,
        data=valid(title="Renamed", requirements=[RequirementInput("Only", 100)]),
    )
    draft = Challenge.objects.get(pk=draft.pk)
    assert draft.title == "Renamed"
    assert list(draft.requirements.values_list("title", flat=True)) == ["Only"]


def test_non_draft_cannot_be_edited(org, owner):
    challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
    with pytest.raises(IllegalTransition) as exc:
        challenge_update(challenge_id=challenge.pk, actor=owner, data=valid(title="Sneaky"))
    assert exc.value.code == "not_editable"
    assert Challenge.objects.get(pk=challenge.pk).title != "Sneaky"
