// The Standard Webhooks reference library (npm standardwebhooks) against our Java signature, for
// StandardWebhooksInteropTest. The body comes on stdin, byte for byte; the outcome is one JSON line on stdout.
//   node interop.mjs verify <whsec secret> <webhook-id> <webhook-timestamp> <webhook-signature>
//   node interop.mjs sign <whsec secret> <webhook-id> <unix seconds>
import { Webhook } from "standardwebhooks";

const [command, secret, id, timestamp, signature] = process.argv.slice(2);
const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const body = Buffer.concat(chunks);
const webhook = new Webhook(secret);

if (command === "verify") {
  try {
    webhook.verify(body, { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature });
    console.log(JSON.stringify({ verified: true }));
  } catch (e) {
    console.log(JSON.stringify({ verified: false, error: e.message }));
  }
} else if (command === "sign") {
  console.log(JSON.stringify({ signature: webhook.sign(id, new Date(Number(timestamp) * 1000), body) }));
} else {
  console.error(`unknown command ${command}: verify or sign`);
  process.exit(2);
}
