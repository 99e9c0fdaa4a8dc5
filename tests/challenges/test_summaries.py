"""The catalogue's items built from `values()` rows are the bytes the summary
serializer writes, in English and Spanish, for every state, currency and Seeker
visibility, and through the API for the public catalogue and for `mine=1`."""

import pytest
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.challenges.params import CatalogueParamsSerializer
from marketplace.challenges.selectors import catalogue, challenges_for_member
from marketplace.challenges.serializers import ChallengeSummarySerializer
from marketplace.challenges.summaries import COLUMNS, summaries
from tests.api_calls import call
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

STATES = [S.OPEN, S.CLOSED, S.JUDGING, S.AWARDING, S.COMPLETED, S.NO_AWARD]


@pytest.fixture
def varied(org):
    made = []
    for n, state in enumerate(STATES):
        for currency, pool in (("USD", 2_500_050), ("EUR", 99), ("JPY", 1_000_000)):
            made.append(
                ChallengeFactory(
                    organization=org,
                    state=state,
                    currency=currency,
                    prize_pool=pool + n,
                    hide_seeker=n % 2 == 0,
                    **({"published_at": None} if n == 3 else {}),
                )
            )
    return made


def rendered(data) -> bytes:
    return JSONRenderer().render(data)


def every_state():
    params = CatalogueParamsSerializer(data={"state": list(STATES)})
    params.is_valid(raise_exception=True)
    return catalogue(params.to_query())


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("reveal", [False, True])
def test_the_same_bytes_as_the_serializer(varied, language, reveal):
    rows = every_state()
    assert rows.count() == len(varied)
    with translation.override(language):
        expected = ChallengeSummarySerializer(
            rows, many=True, context={"reveal_seeker": reveal}
        ).data
        built = summaries(rows.values(*COLUMNS), reveal_seeker=reveal)
    assert rendered(built) == rendered(expected)


@pytest.mark.parametrize("language", ["en", "es"])
def test_through_the_api(varied, owner, staff, solver, language):
    for user, mine, reveal in ((None, False, False), (staff, False, True), (owner, True, True)):
        url = (
            "/api/v1/challenges/?mine=1"
            if mine
            else "/api/v1/challenges/?" + "&".join(f"state={s}" for s in STATES)
        )
        body = call(user, "get", url, language=language).json()
        rows = challenges_for_member(owner) if mine else every_state()
        with translation.override(language):
            expected = ChallengeSummarySerializer(
                rows[:20], many=True, context={"reveal_seeker": reveal}
            ).data
        assert rendered(body["results"]) == rendered(expected)
        assert body["count"] == Challenge.objects.count()
