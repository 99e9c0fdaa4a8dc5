"""The "Fund now" gateway is checked at start-up: bank transfers are recorded by staff,
so "wire" (or a typo) would leave Seekers with a button that never takes money."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


@pytest.mark.parametrize("name", ["wire", "strpe"])
def test_a_gateway_that_cannot_take_funding_is_refused(settings, name):
    settings.PAYMENT_GATEWAY = name
    with pytest.raises(SystemCheckError, match=r"payouts\.E001"):
        call_command("check")


@pytest.mark.parametrize("name", ["local", "stripe"])
def test_the_funding_gateways_pass(settings, name):
    settings.PAYMENT_GATEWAY = name
    call_command("check")
