"""Funding from the management page: what is due (pool + fee), what arrived, the
payments so far, and the buttons that pay through the configured gateway and that
return money paid beyond pool and fee once the challenge has opened.

With the stripe gateway, "Fund now" starts a card payment (`challenge_fund`, which
answers with the payment already on its way, if any) and the page shows its editors a
card form for it: Stripe.js's card Element, confirmed in the browser with the payment's
client secret (`static/js/card_funding.js`). The money counts once Stripe's webhook
confirms the payment; meanwhile the form asks `payment_status` until it has."""

import re
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.accounts.permissions import is_staff
from marketplace.billing.selectors import documents_of, may_read_billing
from marketplace.billing.services import proforma_issue
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_editor
from marketplace.challenges.states import BEFORE_OPENING, ENDED_WITHOUT_WINNERS
from marketplace.core.feedback import ServiceRefusal
from marketplace.escrow.selectors import refundable
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
from payouts.models import Payment, PaymentState
from seekers.views.access import challenge_for_seeker

KEY = re.compile(r"[0-9a-f]{32}")


def _retry_key(challenge: Challenge) -> str:
    return f"funding-retry-{challenge.pk}"


def _card_payment(user, challenge: Challenge, listed) -> Payment | None:
    """The card payment an editor of the challenge confirms on the page: the newest one
    on its way with a client secret, the one `challenge_fund` answers with. Its client
    secret is for the organisation's owners and managers only."""
    if settings.PAYMENT_GATEWAY != "stripe" or not is_editor(user, challenge):
        return None
    return next(
        (
            p
            for p in listed
            if p.gateway == "stripe" and p.state == PaymentState.PENDING and p.client_secret
        ),
        None,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stripe_policy() -> dict[str, list[str]]:
    """What the card form adds to the page's Content-Security-Policy: Stripe.js, its
    frames (the card field and, at Stripe, the 3-D Secure pages) and Stripe's API."""
    script = _origin(settings.STRIPE_JS_URL)
    frames = [script]
    if script == "https://js.stripe.com":
        frames.append("https://hooks.stripe.com")
    return {
        "script-src": [script],
        "frame-src": frames,
        "connect-src": [_origin(settings.STRIPE_API_BASE)],
    }


def funding_context(request, challenge: Challenge) -> dict:
    """The funding section of the management page. With `card` in it, the page needs
    `stripe_policy()` in its Content-Security-Policy."""
    user = request.user
    can_pay = is_editor(user, challenge) or is_staff(user)
    listed = payments(subject=subject_of(challenge))
    context = {"payments": listed}
    if may_read_billing(user, challenge):
        context["billing_documents"] = documents_of(challenge)
    if challenge.state in BEFORE_OPENING:
        due = funding_due(challenge)
        awaiting = challenge.state == ChallengeState.AWAITING_FUNDING
        context["funding"] = due
        context["can_fund"] = awaiting and can_pay and due["outstanding"] > 0
        if awaiting and due["outstanding"] > 0:
            context["wire"] = wire_instructions(challenge, outstanding=due["outstanding"])
        card = _card_payment(user, challenge, listed) if context["can_fund"] else None
        if card is not None:
            context["card"] = {
                "payment": card,
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "js_url": settings.STRIPE_JS_URL,
                "status_url": reverse(
                    "seekers:challenge_payment_status", args=[challenge.pk, card.pk]
                ),
            }
        context["test_money"] = get_gateway().test_money
        # After the gateway did not answer, the button retries the same payment.
        context["fund_key"] = request.session.get(_retry_key(challenge)) or uuid.uuid4().hex
    else:
        held = refundable(challenge)
        ended = challenge.state in ENDED_WITHOUT_WINNERS
        context["held_after_ending" if ended else "excess"] = held
        context["can_refund_excess"] = can_pay and held > 0
    return context


def _outcome(payment: Payment, *, by_card: bool) -> tuple[int, str]:
    """The message after "Fund now"; `by_card` when the page shows the payer the card
    form for a pending payment."""
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
    if by_card and payment.gateway == "stripe" and payment.client_secret:
        return messages.INFO, _(
            "Payment of %(amount)s started: pay it with your card below. It counts once "
            "the payment provider confirms it."
        ) % {"amount": amount}
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
            by_card = is_editor(request.user, challenge)
            messages.add_message(request, *_outcome(payment, by_card=by_card))
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
@require_GET
def payment_status(request, pk, payment_pk):
    """The state of one of the challenge's payments, as JSON, for the card form waiting
    for the provider's confirmation. Owners, managers and staff; 404 for anyone else
    and for a payment of another challenge."""
    challenge = challenge_for_seeker(request.user, pk)
    if not (is_editor(request.user, challenge) or is_staff(request.user)):
        raise Http404
    payment = get_object_or_404(payments(subject=subject_of(challenge)), pk=payment_pk)
    return JsonResponse({"state": payment.state})


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


@login_required
@require_POST
def proforma(request, pk):
    """Issue (or find) the pro-forma invoice for what is still due and download it."""
    challenge = challenge_for_seeker(request.user, pk)
    with ServiceRefusal(request):
        document = proforma_issue(challenge_id=challenge.pk, actor=request.user)
        return redirect("billing_document", pk=document.pk)
    return redirect("seekers:challenge_manage", pk=challenge.pk)
