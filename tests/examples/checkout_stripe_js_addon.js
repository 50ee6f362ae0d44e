// Test stand-in for the Payment Element part of Stripe.js, appended to localstripe's
// localstripe-v3.js (which only has the Card Element and confirmCardPayment).
// elements({clientSecret}) remembers the secret; elements.create("payment") is
// localstripe's card field; confirmPayment posts the card details with the
// publishable key and client_secret to the fake Stripe API, as Stripe.js does.
(function () {
  const cardOnlyStripe = Stripe;

  Stripe = function (publishableKey) {
    const stripe = cardOnlyStripe(publishableKey);
    const makeElements = stripe.elements;

    stripe.elements = function (options) {
      const elements = makeElements();
      elements._clientSecret = options && options.clientSecret;
      return elements;
    };

    stripe.confirmPayment = async function ({elements, confirmParams}) {
      const element = elements.getElement("payment");
      const secret = elements._clientSecret;
      if (!secret) {
        return {error: {type: "invalid_request_error", message: "Missing clientSecret."}};
      }
      if (!element || !element.value || !element.value.card.number) {
        return {error: {type: "validation_error", message: "Your card number is incomplete."}};
      }
      const body = new URLSearchParams({
        key: publishableKey,
        client_secret: secret,
        return_url: (confirmParams && confirmParams.return_url) || "",
        "payment_method_data[type]": "card",
        "payment_method_data[billing_details][address][postal_code]":
          element.value.postal_code,
      });
      for (const [field, value] of Object.entries(element.value.card)) {
        body.append(`payment_method_data[card][${field}]`, value);
      }
      const intentId = secret.split("_secret_")[0];
      try {
        const response = await fetch(
          `${LOCALSTRIPE_BASE_API}/v1/payment_intents/${intentId}/confirm`,
          {method: "POST", body});
        const result = await response.json().catch(() => ({}));
        if (!response.ok || result.error) {
          return {error: result.error || {message: `HTTP ${response.status}`}};
        }
        return {paymentIntent: result};
      } catch (err) {
        return {error: {type: "api_connection_error", message: String(err)}};
      }
    };

    return stripe;
  };
})();
