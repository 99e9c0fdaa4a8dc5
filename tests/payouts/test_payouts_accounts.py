"""Payout accounts: where a payee is paid through each gateway."""

import pytest
from django.core.exceptions import ValidationError

from payouts.models import PayoutAccount
from payouts.services.tax import payout_account_set, payout_destination, payout_ready
from tests.factories import UserFactory

from .conftest import CONNECTED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stripe_configured(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_abc"


def test_a_stripe_account_is_recorded_and_replaced(solver):
    assert not payout_ready(solver, "stripe")
    assert payout_destination(solver, "stripe") == ""

    first = payout_account_set(user=solver, gateway="stripe", destination=f"  {CONNECTED} ")
    second = payout_account_set(user=solver, gateway="stripe", destination="acct_2Other")

    assert first.pk == second.pk
    assert PayoutAccount.objects.get().destination == "acct_2Other"
    assert payout_ready(solver, "stripe")
    assert payout_destination(solver, "stripe") == "acct_2Other"
    assert payout_destination(solver.pk, "stripe") == "acct_2Other"
    assert payout_destination(solver, "local") == ""


@pytest.mark.parametrize(
    "destination",
    ["", "acct_", "ba_1SPjz4QaK7bN2xTm", "acct_1SPj z4", "acct_1SPj-z4", "acct_" + "a" * 96],
)
def test_a_stripe_account_id_must_look_like_one(solver, destination):
    with pytest.raises(ValidationError) as raised:
        payout_account_set(user=solver, gateway="stripe", destination=destination)

    assert list(raised.value.message_dict) == ["destination"]
    assert not PayoutAccount.objects.exists()


def test_the_local_gateway_needs_no_account_and_refuses_one(solver):
    assert payout_ready(solver, "local")

    with pytest.raises(ValidationError) as raised:
        payout_account_set(user=solver, gateway="local", destination=CONNECTED)
    assert list(raised.value.message_dict) == ["destination"]

    account = payout_account_set(user=solver, gateway="local", destination="")
    assert (account.gateway, account.destination) == ("local", "")


def test_the_configured_gateway_is_the_default(solver, settings):
    settings.PAYMENT_GATEWAY = "stripe"
    assert not payout_ready(solver)

    account = payout_account_set(user=solver, gateway=None, destination=CONNECTED)

    assert account.gateway == "stripe"
    assert payout_ready(solver)
    settings.PAYMENT_GATEWAY = "local"
    assert payout_ready(UserFactory())


def test_an_unknown_gateway_is_a_programming_error(solver):
    with pytest.raises(ValueError, match="unknown payment gateway"):
        payout_account_set(user=solver, gateway="paypal", destination="x")
