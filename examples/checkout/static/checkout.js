// The whole browser side: create the intent on our server, mount the Payment
// Element, confirm with Stripe.js. Card details go to Stripe, never to our server.
"use strict";
(async function () {
  const form = document.getElementById("payment-form");
  const button = document.getElementById("submit");
  const message = document.getElementById("payment-message");

  function show(text, state) {
    message.textContent = text;
    message.dataset.state = state;
    message.hidden = false;
  }

  const publishableKey = form.dataset.publishableKey;
  if (!publishableKey) {
    show("Set STRIPE_PUBLISHABLE_KEY (pk_test_...) to take payments.", "error");
    return;
  }
  if (typeof Stripe === "undefined") {
    show("Stripe.js did not load; check your connection.", "error");
    return;
  }
  const stripe = Stripe(publishableKey);

  let clientSecret;
  try {
    const response = await fetch("/create-payment-intent", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({items: [{id: "tshirt", quantity: 1}]}),
    });
    const data = await response.json();
    if (!response.ok) {
      show((data.error && data.error.message) || "Could not start the payment.", "error");
      return;
    }
    clientSecret = data.clientSecret;
  } catch (err) {
    show("Could not reach the shop; please try again.", "error");
    return;
  }

  const elements = stripe.elements({clientSecret});
  elements.create("payment").mount("#payment-element");
  button.disabled = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    show("Processing…", "info");
    const {error, paymentIntent} = await stripe.confirmPayment({
      elements,
      confirmParams: {return_url: new URL("/complete", window.location.href).href},
      // Cards confirm in place; redirect-based methods come back to /complete.
      redirect: "if_required",
    });
    if (error) {
      show(error.message || "Payment failed.", "error");
      button.disabled = false;
    } else if (paymentIntent.status === "succeeded") {
      show("Payment succeeded!", "success");
    } else if (paymentIntent.status === "processing") {
      show("Your payment is processing.", "info");
    } else {
      show("Payment status: " + paymentIntent.status, "info");
      button.disabled = false;
    }
  });
})();
