"""Stripe Connect accounts for winners: an Express account per person, the Account Link
that sends them through Stripe's hosted onboarding, and what Stripe says of the account.
Express rather than Standard: Stripe hosts the onboarding and the identity checks, the
platform decides when money is sent, and the winner gets a light dashboard of their own.
Every call carries the configured key, API base and retries; creating an account
carries an idempotency key per user, so a retry never makes a second account."""

from dataclasses import dataclass
from datetime import UTC, datetime

import stripe

from payouts.gateways.base import GatewayRefused, GatewayUnavailable
from payouts.gateways.stripe import stripe_client, unavailable


@dataclass(frozen=True)
class AccountState:
    """What Stripe says of a connected account, and when it said it."""

    account_id: str
    payouts_enabled: bool
    details_submitted: bool
    currently_due: list[str]
    past_due: list[str]
    disabled_reason: str
    at: datetime


def account_state(obj: dict, *, at: datetime) -> AccountState:
    """An Account object (as the library returns it, or a webhook's `data.object`)."""
    requirements = obj.get("requirements") or {}
    return AccountState(
        account_id=obj["id"],
        payouts_enabled=bool(obj.get("payouts_enabled")),
        details_submitted=bool(obj.get("details_submitted")),
        currently_due=list(requirements.get("currently_due") or []),
        past_due=list(requirements.get("past_due") or []),
        disabled_reason=requirements.get("disabled_reason") or "",
        at=at,
    )


def _call(method, *args):
    try:
        return method(*args)
    except stripe.StripeError as exc:
        if unavailable(exc):
            raise GatewayUnavailable(str(exc)) from exc
        raise GatewayRefused(exc.user_message or str(exc)) from exc


class StripeConnect:
    def __init__(self):
        self.client = stripe_client()

    def account_create(self, *, user_id: int, email: str) -> AccountState:
        """An Express account able to receive transfers; the same one for a retry."""
        params = {
            "type": "express",
            "capabilities": {"transfers": {"requested": True}},
            "metadata": {"user": str(user_id)},
        }
        if email:
            params["email"] = email
        account = _call(
            self.client.v1.accounts.create,
            params,
            {"idempotency_key": f"connect-account:user:{user_id}"},
        )
        return account_state(account.to_dict(recursive=True), at=datetime.now(UTC))

    def account_link(self, *, account_id: str, refresh_url: str, return_url: str) -> str:
        """A fresh, single-use onboarding link for `account_id`."""
        params = {
            "account": account_id,
            "type": "account_onboarding",
            "refresh_url": refresh_url,
            "return_url": return_url,
        }
        return _call(self.client.v1.account_links.create, params).url

    def account_retrieve(self, account_id: str) -> AccountState:
        """What Stripe says of `account_id` now."""
        account = _call(self.client.v1.accounts.retrieve, account_id)
        return account_state(account.to_dict(recursive=True), at=datetime.now(UTC))
