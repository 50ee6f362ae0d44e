// The official Node SDK on the served emulator's generic resources.
// Usage: node generic_crud.cjs http://127.0.0.1:PORT (with `stripe` on NODE_PATH).
// Prints one JSON line: what each call answered, for the Python test to check.
"use strict";

const Stripe = require("stripe");

async function main() {
  const base = new URL(process.argv[2]);
  const stripe = new Stripe("sk_test_node_oracle", {
    host: base.hostname,
    port: Number(base.port),
    protocol: base.protocol.replace(":", ""),
    maxNetworkRetries: 0,
    telemetry: false,
  });
  const report = { sdk: Stripe.PACKAGE_VERSION, api: Stripe.API_VERSION, resources: {} };

  async function crud(name, service, createParams, updateParams, deletes) {
    const made = await service.create(createParams);
    const again = await service.retrieve(made.id);
    const updated = await service.update(made.id, updateParams);
    const fetched = await service.retrieve(made.id);
    const page = await service.list({ limit: 3 });
    const entry = {
      object: made.object,
      id: made.id,
      retrieved: again.id === made.id,
      updated: updated.metadata,
      kept: fetched.metadata,
      listed: page.data.map((o) => o.id),
      fidelity: made.lastResponse.headers["stripe-emulator-fidelity"],
    };
    if (deletes) {
      const gone = await service.del(made.id);
      entry.deleted = gone.deleted === true;
      try {
        await service.retrieve(made.id);
        entry.after_delete = "found";
      } catch (error) {
        entry.after_delete = `${error.type}:${error.statusCode}:${error.code}`;
      }
    }
    report.resources[name] = entry;
  }

  const meta = { metadata: { team: "node" } };
  await crud("entitlements.features", stripe.entitlements.features,
    { name: "Exports", lookup_key: "node_exports" }, meta, false);
  await crud("shipping_rates", stripe.shippingRates,
    { display_name: "Ground", type: "fixed_amount",
      fixed_amount: { amount: 500, currency: "usd" } }, meta, false);
  await crud("terminal.locations", stripe.terminal.locations,
    { display_name: "HQ",
      address: { line1: "1 Main St", city: "SF", state: "CA", postal_code: "94111", country: "US" } },
    meta, true);
  await crud("radar.value_lists", stripe.radar.valueLists,
    { alias: "node_emails", name: "Emails" }, meta, true);
  await crud("issuing.cardholders", stripe.issuing.cardholders,
    { name: "Jenny Rosen", type: "individual",
      billing: { address: { line1: "1 Main St", city: "SF", state: "CA",
                            postal_code: "94111", country: "US" } } },
    meta, false);
  try {
    await stripe.shippingRates.retrieve("shr_nope");
  } catch (error) {
    report.missing = `${error.type}:${error.statusCode}:${error.code}`;
  }
  process.stdout.write(JSON.stringify(report) + "\n");
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
