"""Winners' Stripe Connect accounts. `payout_account_connect` makes a person's Express
account (once); `payout_account_link` the onboarding link Stripe hosts;
`payout_account_state_record` keeps what Stripe says of an account, whether read from
Stripe (`payout_account_refresh`, the return page) or told by an `account.updated`
webhook. Stripe's word is applied only when it is newer than the stored one (the time
Stripe said it: the event's `created`, or the moment the account was read), so events
replayed or delivered out of order end in the newest state. When an account becomes
able to receive payouts, its payee's waiting payouts are sent, after commit."""

from celery import current_app
from django.db import transaction
from django.utils.translation import gettext as _

from payouts.gateways.stripe_connect import AccountState, StripeConnect
from payouts.models import PayoutAccount, PayoutAccountLink
from payouts.selectors import payouts_waiting_for
from payouts.services.tax import payout_account_set, payout_destination

SEND_PAYOUT = "payouts.tasks.send_payout"


class NoConnectAccount(Exception):
    """The person has no Stripe account to onboard or read yet."""


def payout_account_connect(*, user) -> PayoutAccount:
    """`user`'s Stripe payout account, made at Stripe (an Express account) if they have
    none yet. Stripe answers a retry with the same account (idempotency key per user)."""
    existing = PayoutAccount.objects.filter(user=user, gateway="stripe").exclude(destination="")
    if account := existing.first():
        return account
    state = StripeConnect().account_create(user_id=user.pk, email=user.email)
    with transaction.atomic():
        account, _created = PayoutAccount.objects.update_or_create(
            user=user, gateway="stripe", defaults={"destination": state.account_id}
        )
        _apply(account, state)
    return account


def payout_account_link(*, user, refresh_url: str, return_url: str) -> str:
    """A fresh onboarding link at Stripe for `user`'s account (NoConnectAccount if none)."""
    account = _account_of(user)
    return StripeConnect().account_link(
        account_id=account.destination, refresh_url=refresh_url, return_url=return_url
    )


def payout_account_refresh(*, user) -> PayoutAccount:
    """Read `user`'s account from Stripe now and record it (NoConnectAccount if none)."""
    account = _account_of(user)
    state = StripeConnect().account_retrieve(account.destination)
    return payout_account_state_record(state=state) or account


def payout_account_staff_link(*, user, destination: str, actor) -> PayoutAccount:
    """Staff link a Stripe account id they were given to `user`, with an audit row (who,
    when, the account it replaced). Nothing is known yet of what Stripe lets it do
    (`payouts_enabled` None): its transfers are tried, and `account.updated` events keep
    it current."""
    with transaction.atomic():
        previous = payout_destination(user, "stripe")
        account = payout_account_set(user=user, gateway="stripe", destination=destination)
        PayoutAccountLink.objects.create(
            account=account, actor=actor, destination=account.destination, previous=previous
        )
    return account


def _account_of(user) -> PayoutAccount:
    account = (
        PayoutAccount.objects.filter(user=user, gateway="stripe").exclude(destination="").first()
    )
    if account is None:
        raise NoConnectAccount(_("Set up payouts first."))
    return account


def payout_account_state_record(*, state: AccountState) -> PayoutAccount | None:
    """Record what Stripe said of account `state.account_id`, unless what is stored is as
    new or newer. None when no one here is paid to that account."""
    with transaction.atomic():
        account = (
            PayoutAccount.objects.select_for_update()
            .filter(gateway="stripe", destination=state.account_id)
            .first()
        )
        if account is None:
            return None
        if account.state_at is None or state.at > account.state_at:
            _apply(account, state)
    return account


def _apply(account: PayoutAccount, state: AccountState) -> None:
    was_waiting = account.payouts_enabled is not True
    account.payouts_enabled = state.payouts_enabled
    account.details_submitted = state.details_submitted
    account.currently_due = state.currently_due
    account.past_due = state.past_due
    account.disabled_reason = state.disabled_reason[:100]
    account.state_at = state.at
    account.save()
    if was_waiting and state.payouts_enabled:
        ids = list(payouts_waiting_for(account.user_id, gateway="stripe"))
        task = current_app.tasks[SEND_PAYOUT]
        for payout_id in ids:
            transaction.on_commit(lambda payout_id=payout_id: task.delay(payout_id))
