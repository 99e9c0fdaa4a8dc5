"""localstripe, a fake Stripe API and Stripe.js, for paying by card without the
internet: listening on loopback only, its store in memory, and (when asked) sending
its webhooks, signed, to one URL. Stripe Connect (accounts, onboarding links,
transfers), which localstripe lacks, comes from `fake_stripe_connect.py`.

    python scripts/fake_stripe.py [--port 8420] [--webhook URL --secret whsec_...]

localstripe's Stripe.js confirms a PaymentIntent only once the server side has given it
a card. Stripe.js confirms one that has none with the card typed into the card Element,
as the funding page does: `confirmCardPayment(clientSecret, {payment_method: {card}})`.
This adds that path, as Stripe has it: the card goes with the publishable key and the
client secret to /v1/payment_intents/<id>/confirm; a card that asks for 3-D Secure
(4000002500003155, 4000002760003184) gets localstripe's authentication dialog; a
declined card (4000000000000002, 4000000000000341) is a `card_error`, the intent can be
confirmed again with another card, and a `payment_intent.payment_failed` event is sent.
"""

import argparse
import re
from pathlib import Path

import localstripe
from aiohttp import web
from fake_stripe_connect import connect
from localstripe import resources, server
from localstripe.errors import UserError
from localstripe.webhooks import register_webhook

FAKE_STRIPE_JS = (Path(localstripe.__file__).parent / "localstripe-v3.js").read_text()

# Appended to localstripe's script, so it sees its `Stripe`, `openModal` and
# `LOCALSTRIPE_BASE_API`.
CONFIRM_WITH_CARD = """
(function () {
  const fakeStripe = Stripe;
  const post = async (url, body) => {
    const response = await fetch(url, {method: 'POST', body: JSON.stringify(body)});
    const answer = await response.json().catch(() => ({}));
    if (!response.ok || answer.error) {
      return {error: answer.error || {type: 'api_error', message: String(response.status)}};
    }
    return {intent: answer};
  };
  Stripe = (apiKey, options) => {
    const stripe = fakeStripe(apiKey, options);
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const id = clientSecret.match(/^(pi_\\w+)_secret_/)[1];
      const base = `${LOCALSTRIPE_BASE_API}/v1/payment_intents/${id}`;
      const element = data.payment_method.card;
      let answer = await post(`${base}/confirm`, {
        key: apiKey,
        client_secret: clientSecret,
        payment_method_data: {type: 'card', card: element.value ? element.value.card : {}},
      });
      if (!answer.error && answer.intent.status === 'requires_action') {
        const success = await openModal('3D Secure\\nDo you want to confirm or cancel?',
                                        'Complete authentication', 'Fail authentication');
        answer = await post(`${base}/_authenticate?success=${success}`,
                            {key: apiKey, client_secret: clientSecret});
        if (!answer.error && answer.intent.status === 'requires_payment_method') {
          return {error: {
            type: 'invalid_request_error',
            code: 'payment_intent_authentication_failure',
            message: 'The provided PaymentMethod has failed authentication.',
            payment_intent: answer.intent,
          }};
        }
      }
      return answer.error ? {error: answer.error} : {paymentIntent: answer.intent};
    };
    return stripe;
  };
})();
"""

CONFIRM = re.compile(r"^/v1/payment_intents/(pi_\w+)/confirm$")
CONFIRMABLE = ("requires_payment_method", "requires_confirmation")


def _confirm_with_card(intent_id: str, data: dict) -> web.Response:
    """Stripe.js's confirmation: the card typed into the Element, the client secret."""
    intent = resources.PaymentIntent._api_retrieve(intent_id)
    if data.get("client_secret") != intent.client_secret:
        raise UserError(401, "Unauthorized")
    if intent.status not in CONFIRMABLE:
        raise UserError(
            400,
            f"This PaymentIntent's status is {intent.status}.",
            {"code": "payment_intent_unexpected_state", "payment_intent": intent._export()},
        )
    try:
        card = resources.PaymentMethod._api_create(
            type="card", card=(data.get("payment_method_data") or {}).get("card")
        )
    except UserError as exc:
        raise UserError(
            400, "Your card's details are incomplete.", {"type": "validation_error"}
        ) from exc
    intent.payment_method = card.id
    intent.latest_charge = None
    try:
        intent._confirm(on_failure_now=intent._report_failure)
    except UserError as exc:
        exc.body["error"].update(type="card_error", payment_intent=intent._export())
        raise
    return server.json_response(intent._export())


@web.middleware
async def card_confirmation(request, handler):
    if request.method == "GET" and request.path == "/js.stripe.com/v3/":
        return web.Response(
            text=FAKE_STRIPE_JS + CONFIRM_WITH_CARD, content_type="application/javascript"
        )
    found = CONFIRM.match(request.path)
    if request.method == "POST" and found:
        data = await server.get_post_data(request, remove_auth=False) or {}
        if str(data.get("key", "")).startswith("pk_"):
            return _confirm_with_card(found.group(1), data)
    return await handler(request)


def _declined_when_charged(charging_is_declined):
    """Stripe declines its "generic decline" cards when charging them; localstripe only
    when attaching them to a customer."""

    def declined(self) -> bool:
        return charging_is_declined(self) or self._attaching_is_declined()

    return declined


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--webhook", help="where to send webhooks")
    parser.add_argument("--secret", help="the webhook signing secret")
    args = parser.parse_args()
    if bool(args.webhook) != bool(args.secret):
        parser.error("--webhook and --secret go together")
    resources.Store.dump_to_disk = lambda self: None
    resources.PaymentMethod._charging_is_declined = _declined_when_charged(
        resources.PaymentMethod._charging_is_declined
    )
    # After localstripe's error handling, before its authentication.
    server.app.middlewares.insert(1, card_confirmation)
    server.app.middlewares.insert(2, connect)
    if args.webhook:
        register_webhook("marketplace", args.webhook, args.secret, None)
    base = f"http://127.0.0.1:{args.port}"
    print(f"localstripe: API at {base}, Stripe.js at {base}/js.stripe.com/v3/", flush=True)
    if args.webhook:
        print(f"localstripe: webhooks to {args.webhook}", flush=True)
    web.run_app(server.app, host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
