"""Start-up checks of the money settings (`manage.py check`, and every command that
runs the system checks, such as `runserver` and `migrate`)."""

from django.conf import settings
from django.core.checks import Error, register

# Gateways that take a Seeker's money from the "Fund now" button. Bank transfers (the
# "wire" gateway) are always offered beside the one chosen: staff record them as they
# arrive, so "wire" cannot be the button's gateway.
FUNDING_GATEWAYS = ("local", "stripe")


@register()
def payment_gateway_check(app_configs, **kwargs) -> list[Error]:
    if settings.PAYMENT_GATEWAY in FUNDING_GATEWAYS:
        return []
    return [
        Error(
            f"PAYMENT_GATEWAY is {settings.PAYMENT_GATEWAY!r}; it must be one of "
            f"{', '.join(FUNDING_GATEWAYS)}.",
            hint="Bank transfers are offered beside either gateway; they need no setting.",
            id="payouts.E001",
        )
    ]
