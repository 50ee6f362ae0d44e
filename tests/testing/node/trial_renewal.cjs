// The official Node SDK moves a subscription through a trial and a renewal on a test
// clock of the served emulator, as a Node service's test suite would against Stripe.
// Usage: node trial_renewal.cjs http://127.0.0.1:PORT FROZEN_TIME (with `stripe` on
// NODE_PATH). Prints one JSON line: what the calls answered, for the Python test.
"use strict";

const Stripe = require("stripe");

const DAY = 86400;
const HOUR = 3600;

async function main() {
  const base = new URL(process.argv[2]);
  const start = Number(process.argv[3]);
  const stripe = new Stripe("sk_test_node_clock", {
    host: base.hostname,
    port: Number(base.port),
    protocol: base.protocol.replace(":", ""),
    maxNetworkRetries: 0,
    telemetry: false,
  });

  async function advance(clockId, to) {
    let clock = await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: to });
    const deadline = Date.now() + 30000;
    while (clock.status !== "ready") {
      if (Date.now() > deadline) throw new Error("the test clock never became ready");
      await new Promise((resolve) => setTimeout(resolve, 50));
      clock = await stripe.testHelpers.testClocks.retrieve(clockId);
    }
    return clock;
  }

  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, name: "node" });
  const customer = await stripe.customers.create({ test_clock: clock.id, email: "n@example.com" });
  const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
  await stripe.customers.update(customer.id, {
    invoice_settings: { default_payment_method: pm.id },
  });
  const price = await stripe.prices.create({
    unit_amount: 2000,
    currency: "usd",
    recurring: { interval: "month" },
    product_data: { name: "Pro" },
  });
  const created = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price.id }],
    trial_period_days: 14,
  });
  const trialEnd = created.trial_end;

  await advance(clock.id, trialEnd - 3 * DAY);
  const willEnd = await stripe.events.list({ type: "customer.subscription.trial_will_end" });

  await advance(clock.id, trialEnd + HOUR);
  const afterTrial = await stripe.subscriptions.retrieve(created.id);

  const item = afterTrial.items.data[0];
  const renewalAt = item.current_period_end;
  const ready = await advance(clock.id, renewalAt + HOUR);
  const invoices = await stripe.invoices.list({ subscription: created.id });
  const renewed = await stripe.subscriptions.retrieve(created.id);

  process.stdout.write(
    JSON.stringify({
      clock: { id: clock.id, status: clock.status, ready: ready.status, at: ready.frozen_time },
      created: { status: created.status, created: created.created, trial_end: trialEnd },
      trial_will_end: willEnd.data.map((e) => ({ sub: e.data.object.id, created: e.created })),
      after_trial: afterTrial.status,
      invoices: invoices.data.reverse().map((i) => ({
        reason: i.billing_reason,
        status: i.status,
        paid: i.amount_paid,
        period: [i.period_start, i.period_end],
        line: [i.lines.data[0].period.start, i.lines.data[0].period.end],
      })),
      period: [
        renewed.items.data[0].current_period_start,
        renewed.items.data[0].current_period_end,
      ],
      sub: created.id,
    }) + "\n",
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
