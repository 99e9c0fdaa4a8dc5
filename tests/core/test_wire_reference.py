"""A wire transfer's payment reference: one per challenge, check digits catch typos."""

import pytest

from marketplace.core.references import challenge_id_of_wire_reference, wire_reference


@pytest.mark.parametrize("pk", [1, 12, 999_999, 1_234_567])
def test_round_trip(pk):
    assert challenge_id_of_wire_reference(wire_reference(pk)) == pk


def test_known_value_follows_iso_7064():
    # MP000012 + check: int("000012" + "2225" + "00") % 97 == 15, 98 - 15 = 83
    assert wire_reference(12) == "MP00001283"


def test_spaces_and_case_are_ignored():
    assert challenge_id_of_wire_reference("mp 0000 1283") == 12


@pytest.mark.parametrize(
    "typed", ["MP00001284", "MP00002183", "MP0000128", "XX00001283", "MP-0001283", ""]
)
def test_a_mistyped_reference_names_no_challenge(typed):
    assert challenge_id_of_wire_reference(typed) is None
