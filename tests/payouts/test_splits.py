from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payouts.splits import percent_of, split_largest_remainder

totals = st.integers(min_value=0, max_value=10**12)
weights = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12).filter(any)


@given(totals, weights)
def test_parts_add_up_to_the_total(total, ws):
    parts = split_largest_remainder(total, ws)
    assert len(parts) == len(ws)
    assert sum(parts) == total
    assert all(isinstance(p, int) and p >= 0 for p in parts)


@given(totals, weights)
def test_each_part_is_within_one_unit_of_its_exact_share(total, ws):
    for part, w in zip(split_largest_remainder(total, ws), ws, strict=True):
        assert abs(part - Fraction(total * w, sum(ws))) < 1


@given(totals, weights)
def test_zero_weights_get_nothing(total, ws):
    for part, w in zip(split_largest_remainder(total, ws), ws, strict=True):
        if w == 0:
            assert part == 0


@given(totals, weights)
def test_the_split_is_deterministic_and_ties_go_to_the_earlier_part(total, ws):
    assert split_largest_remainder(total, ws) == split_largest_remainder(total, list(ws))
    parts = split_largest_remainder(total, ws)
    for i, j in zip(range(len(ws)), range(1, len(ws)), strict=False):
        if ws[i] == ws[j]:
            assert parts[i] >= parts[j]


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=10**9))
def test_equal_weights_differ_by_at_most_one_unit(n, total):
    parts = split_largest_remainder(total, [1] * n)
    assert max(parts) - min(parts) <= 1
    assert parts == sorted(parts, reverse=True)


def test_examples():
    assert split_largest_remainder(100, [1, 1, 1]) == [34, 33, 33]
    assert split_largest_remainder(10, [5000, 3000, 2000]) == [5, 3, 2]
    assert split_largest_remainder(7, [0, 1, 0]) == [0, 7, 0]
    assert split_largest_remainder(0, [3, 4]) == [0, 0]


@pytest.mark.parametrize(
    ("total", "ws"),
    [(-1, [1]), (10, []), (10, [0, 0]), (10, [3, -1]), (10, [-1, -1])],
    ids=["negative-total", "no-weights", "all-zero", "negative-weight", "all-negative"],
)
def test_bad_input_raises(total, ws):
    with pytest.raises(ValueError):
        split_largest_remainder(total, ws)


@pytest.mark.parametrize(
    ("part", "total", "percent"),
    [(1, 3, "33.33"), (2, 3, "66.67"), (625_000, 1_000_000, "62.50"), (5, 5, "100.00")],
)
def test_percent_of(part, total, percent):
    assert str(percent_of(part, total)) == percent
