// Stripe appends ?payment_intent=...&redirect_status=... after a redirect-based payment.
"use strict";
(function () {
  const status = new URLSearchParams(window.location.search).get("redirect_status");
  const text = {
    succeeded: "Payment succeeded!",
    processing: "Your payment is processing.",
    requires_payment_method: "Payment failed; please try another payment method.",
  }[status] || "Unknown payment status.";
  const message = document.getElementById("payment-message");
  message.textContent = text;
  message.dataset.state = status === "succeeded" ? "success" : "info";
})();
