"""Funding from the management page: what is due (pool + fee), what arrived, the
payments so far, and the buttons that pay through the configured gateway and that
return money paid beyond pool and fee once the challenge has opened."""

import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_editor
from marketplace.challenges.states import BEFORE_OPENING
from marketplace.core.feedback import ServiceRefusal
from marketplace.escrow.services import (
    challenge_fund,
    challenge_refund_excess,
    funding_due,
    subject_of,
)
from marketplace.escrow.wire_selectors import wire_instructions
from payouts.currency import format_money
from payouts.gateways import GatewayUnavailable, get_gateway
from payouts.ledger_queries import payments
from payouts.models import AccountPurpose, Payment, PaymentState
from payouts.selectors import balance_of
from seekers.views.access import challenge_for_seeker

KEY = re.compile(r"[0-9a-f]{32}")


def _retry_key(challenge: Challenge) -> str:
    return f"funding-retry-{challenge.pk}"


def funding_context(request, challenge: Challenge) -> dict:
    """The funding section of the management page."""
    user = request.user
    can_pay = is_editor(user, challenge) or is_staff(user)
    context = {"payments": payments(subject=subject_of(challenge))}
    if challenge.state in BEFORE_OPENING:
        due = funding_due(challenge)
        awaiting = challenge.state == ChallengeState.AWAITING_FUNDING
        context["funding"] = due
        context["can_fund"] = awaiting and can_pay and due["outstanding"] > 0
        if awaiting and due["outstanding"] > 0:
            context["wire"] = wire_instructions(challenge, outstanding=due["outstanding"])
        context["test_money"] = get_gateway().test_money
        # After the gateway did not answer, the button retries the same payment.
        context["fund_key"] = request.session.get(_retry_key(challenge)) or uuid.uuid4().hex
    elif challenge.state == ChallengeState.CANCELLED:
        # Everything it still holds, refunds under way included (say, a bank transfer
        # that arrived after it was cancelled).
        held = sum(
            balance_of(subject_of(challenge), purpose)
            for purpose in (AccountPurpose.FUNDING, AccountPurpose.ESCROW)
        )
        context["held_after_cancelling"] = held
        context["can_refund_excess"] = can_pay and held > 0
    elif challenge.is_published:
        excess = balance_of(subject_of(challenge), AccountPurpose.FUNDING)
        context["excess"] = excess
        context["can_refund_excess"] = can_pay and excess > 0
    return context


def _outcome(payment: Payment) -> tuple[int, str]:
    amount = format_money(payment.amount, payment.currency)
    if payment.state == PaymentState.SUCCEEDED:
        text = _("Payment of %(amount)s received.") % {"amount": amount}
        if payment.test_money:
            text += " " + _("This was test money: nothing was charged.")
        return messages.SUCCESS, text
    if payment.state == PaymentState.FAILED:
        return messages.ERROR, _("The payment of %(amount)s failed: %(reason)s") % {
            "amount": amount,
            "reason": payment.failure_message,
        }
    return messages.INFO, _(
        "Payment of %(amount)s started. It counts once the payment provider confirms it."
    ) % {"amount": amount}


@login_required
@require_POST
def fund(request, pk):
    """Pay what is still missing. The form carries an idempotency key, so a double
    click or a resent form cannot pay twice."""
    challenge = challenge_for_seeker(request.user, pk)
    key = request.POST.get("key", "")
    if not KEY.fullmatch(key):
        key = uuid.uuid4().hex
    try:
        with ServiceRefusal(request):
            payment = challenge_fund(
                challenge_id=challenge.pk,
                actor=request.user,
                idempotency_key=f"web:{request.user.pk}:{key}",
            )
            messages.add_message(request, *_outcome(payment))
        request.session.pop(_retry_key(challenge), None)
    except GatewayUnavailable:
        request.session[_retry_key(challenge)] = key
        messages.error(
            request,
            _(
                "The payment provider did not answer. Press “Fund now” again to retry: the "
                "same payment is retried, so nothing is paid twice."
            ),
        )
    return redirect("seekers:challenge_manage", pk=challenge.pk)


@login_required
@require_POST
def refund_excess(request, pk):
    challenge = challenge_for_seeker(request.user, pk)
    with ServiceRefusal(request):
        started = challenge_refund_excess(challenge_id=challenge.pk, actor=request.user)
        if started:
            messages.success(
                request, _("The excess is being refunded; the escrow statement shows each refund.")
            )
        else:
            messages.info(
                request, _("Nothing to refund: no excess is left, or its refund is under way.")
            )
    return redirect("seekers:challenge_manage", pk=challenge.pk)
