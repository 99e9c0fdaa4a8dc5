"""The prize pool and the award plan: percentages split into amounts that add up to the
pool exactly, and every money refusal in the challenge's currency and the reader's
language."""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from marketplace.challenges.inputs import planned_amounts, validate_challenge_input
from marketplace.challenges.services import challenge_create
from tests.challenges.test_services import valid

MAX_POOL = 10_000_000_000  # MARKETPLACE_MAX_PRIZE_MINOR's default


def money_errors(data, language="en") -> dict:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_challenge_input(data)
    return refused.value.message_dict


@st.composite
def percentages(draw) -> list[Decimal]:
    """1 to 10 percentages, each of at least 0.01 and at most two decimals, adding up to 100."""
    n = draw(st.integers(min_value=1, max_value=10))
    cuts = sorted(draw(st.sets(st.integers(1, 9_999), min_size=n - 1, max_size=n - 1)))
    points = [b - a for a, b in zip([0, *cuts], [*cuts, 10_000], strict=True)]
    return [Decimal(p).scaleb(-2) for p in points]


class TestPercentages:
    @given(st.integers(min_value=1, max_value=MAX_POOL), percentages())
    def test_amounts_add_up_to_the_pool_each_within_a_unit_of_its_share(self, pool, shares):
        amounts = planned_amounts(
            valid(prize_pool=pool, award_amounts=[], award_percentages=shares)
        )
        assert sum(amounts) == pool
        for amount, share in zip(amounts, shares, strict=True):
            assert abs(amount - Fraction(pool) * Fraction(share) / 100) < 1

    def test_examples(self):
        thirds = [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
        data = valid(prize_pool=100_000, award_amounts=[], award_percentages=thirds)
        assert planned_amounts(data) == [33_330, 33_330, 33_340]
        data = valid(prize_pool=100, award_amounts=[], award_percentages=thirds)
        assert planned_amounts(data) == [33, 33, 34]
        halves = [Decimal("50"), Decimal("50")]
        data = valid(prize_pool=5, award_amounts=[], award_percentages=halves)
        assert planned_amounts(data) == [3, 2]
        assert planned_amounts(valid()) == [700_000, 300_000]

    @pytest.mark.django_db
    def test_a_plan_given_as_percentages_is_stored_as_amounts(self, org, owner):
        shares = [Decimal("62.5"), Decimal("37.5")]
        data = valid(prize_pool=999_999, award_amounts=[], award_percentages=shares)
        challenge = challenge_create(organization_id=org.pk, actor=owner, data=data)
        amounts = list(challenge.planned_awards.values_list("amount", flat=True))
        assert amounts == [624_999, 375_000]  # 624,999.375 and 374,999.625

    @pytest.mark.parametrize(
        ("shares", "message"),
        [
            (["60", "30"], "The percentages add up to 90%; they must add up to exactly 100%."),
            (["60.5", "40"], "The percentages add up to 100.5%; they must add up to exactly 100%."),
            (
                ["60.001", "39.999"],
                "Every percentage must be more than 0 and at most 100, with at most 2 decimals.",
            ),
            (
                ["100", "0"],
                "Every percentage must be more than 0 and at most 100, with at most 2 decimals.",
            ),
            (
                ["110", "-10"],
                "Every percentage must be more than 0 and at most 100, with at most 2 decimals.",
            ),
        ],
    )
    def test_bad_percentages(self, shares, message):
        data = valid(award_amounts=[], award_percentages=[Decimal(s) for s in shares])
        assert money_errors(data) == {"award_percentages": [message]}

    def test_the_sum_in_spanish(self):
        data = valid(award_amounts=[], award_percentages=[Decimal("60.5"), Decimal("30")])
        assert money_errors(data, "es") == {
            "award_percentages": [
                "Los porcentajes suman 90,5\xa0%; deben sumar exactamente el 100 %."
            ]
        }

    def test_amounts_or_percentages_not_both(self):
        data = valid(award_percentages=[Decimal("70"), Decimal("30")])
        assert money_errors(data) == {
            "award_amounts": [
                "Give the award plan as amounts or as percentages of the prize pool, not both."
            ]
        }

    def test_a_pool_too_small_for_the_split(self):
        data = valid(
            prize_pool=2,
            currency="JPY",
            award_amounts=[],
            award_percentages=[Decimal("33.33"), Decimal("33.33"), Decimal("33.34")],
        )
        assert money_errors(data) == {
            "award_percentages": [
                "The prize pool of ¥2 is too small to split this way: an award would be ¥0."
            ]
        }


class TestMoneyErrorsInTheCurrency:
    @pytest.mark.parametrize(
        ("currency", "language", "pool", "awards", "message"),
        [
            (
                "USD",
                "en",
                10_000_000,
                [6_000_000, 3_000_000],
                "The awards add up to $90,000.00 but the prize pool is $100,000.00.",
            ),
            (
                "USD",
                "es",
                10_000_000,
                [6_000_000, 3_000_000],
                "Los premios suman 90.000,00\xa0US$, pero la bolsa de premios es de "
                "100.000,00\xa0US$.",
            ),
            (
                "JPY",
                "en",
                100_000,
                [60_000, 30_000],
                "The awards add up to ¥90,000 but the prize pool is ¥100,000.",
            ),
            (
                "JPY",
                "es",
                100_000,
                [60_000, 30_000],
                "Los premios suman 90.000\xa0JPY, pero la bolsa de premios es de 100.000\xa0JPY.",
            ),
        ],
    )
    def test_awards_not_adding_up(self, currency, language, pool, awards, message):
        data = valid(currency=currency, prize_pool=pool, award_amounts=awards)
        assert money_errors(data, language) == {"award_amounts": [message]}

    @pytest.mark.parametrize(
        ("currency", "language", "message"),
        [
            ("USD", "en", "The prize pool can be at most $100,000,000.00."),
            ("USD", "es", "La bolsa de premios puede ser como máximo de 100.000.000,00\xa0US$."),
            ("JPY", "en", "The prize pool can be at most ¥10,000,000,000."),
        ],
    )
    def test_the_pool_limit_is_stated(self, currency, language, message):
        data = valid(currency=currency, prize_pool=MAX_POOL + 1, award_amounts=[MAX_POOL + 1])
        assert money_errors(data, language) == {"prize_pool": [message]}

    def test_the_largest_pool_is_accepted(self):
        validate_challenge_input(valid(prize_pool=MAX_POOL, award_amounts=[MAX_POOL]))

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"prize_pool": 0}, "prize_pool", "The prize pool must be more than zero."),
            ({"prize_pool": -5}, "prize_pool", "The prize pool must be more than zero."),
            (
                {"prize_pool": "1000000"},
                "prize_pool",
                "Enter the prize pool as an amount, for example 25000.00.",
            ),
            (
                {"award_amounts": [1_000_000, 0]},
                "award_amounts",
                "Every award must be more than zero.",
            ),
            (
                {"award_amounts": [1_100_000, -100_000]},
                "award_amounts",
                "Every award must be more than zero.",
            ),
        ],
    )
    def test_negative_zero_and_not_a_number_in_words(self, changes, field, message):
        assert money_errors(valid(**changes))[field] == [message]

    def test_no_minor_units_in_any_refusal(self):
        for changes in ({"prize_pool": 12.5}, {"award_amounts": [1]}, {"prize_pool": 10**19}):
            errors = money_errors(replace(valid(), **changes))
            assert all("minor" not in m for messages in errors.values() for m in messages)
