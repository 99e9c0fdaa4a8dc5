// The funding page's card form (templates/seekers/_funding_card.html): Stripe.js's card
// Element, confirmed with the payment's client secret (Stripe.js shows 3-D Secure when
// the bank asks for it). A refused card leaves the payment as it was: the same payment
// can be confirmed again with another card. Once the bank has accepted it, the form asks
// our server every moment until Stripe's webhook has confirmed the payment, then reloads.
(function () {
  "use strict";
  const form = document.getElementById("card-funding");
  if (!form || typeof Stripe !== "function") return;
  const POLL_MS = 1500;
  const stripe = Stripe(form.dataset.publishableKey, { locale: document.documentElement.lang });
  const card = stripe.elements().create("card");
  card.mount("#card-element");
  const button = form.querySelector("button[type=submit]");
  const states = form.querySelectorAll("[data-state]");

  function show(name) {
    states.forEach((el) => {
      el.hidden = el.dataset.state !== name;
    });
  }

  // An earlier press, or another tab, has already paid it: only wait.
  function alreadyPaid(error) {
    const intent = error.payment_intent;
    return (
      error.code === "payment_intent_unexpected_state" &&
      intent &&
      (intent.status === "succeeded" || intent.status === "processing")
    );
  }

  function refusal(error) {
    if (error.code === "payment_intent_authentication_failure") return "authentication-failed";
    if (error.type === "card_error") return "declined";
    return "error";
  }

  async function waitForConfirmation() {
    show("processing");
    for (;;) {
      try {
        const response = await fetch(form.dataset.statusUrl, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (response.ok && (await response.json()).state !== "pending") {
          window.location.reload();
          return;
        }
      } catch (e) {
        // No answer this time: ask again.
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    show("confirming");
    const result = await stripe.confirmCardPayment(form.dataset.clientSecret, {
      payment_method: { card },
    });
    if (result.error && !alreadyPaid(result.error)) {
      show(refusal(result.error));
      button.disabled = false;
      return;
    }
    waitForConfirmation();
  });
})();
