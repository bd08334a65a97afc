// The TypeScript consumer's side of TypeScriptConsumerIT (integration-tests), driven over stdin and stdout with one
// JSON object per line. The first line configures it:
//   {"bootstrap", "registry", "keys", "consumerId", "operatorKey", "groupId", "expectedValues": {field: value}}
// It then prints every outcome its subscription reads, and answers each command line:
//   {"command": "request", "holderId", "credentialType", "fields": [...], "purpose"} -> {"event": "requested", "requestId"}
//   {"command": "webhook", "secret", "headers": {...}, "body"} -> the outcome of the POST, judged by the client:
//     {"event": "webhook", "outcome": {...}}, or {"event": "webhook", "rejected": "<error class>", "message"}
//   {"command": "close"} -> {"event": "closed"}, and exits.
// A delivered outcome is printed with its field names and, per field, whether the value is the one expected; never a
// value itself.
import { createInterface } from "node:readline";
import { ConsumerClient, WebhookReceiver, loadIdentity } from "../dist/index.js";

const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const config = JSON.parse((await lines.next()).value);

const client = new ConsumerClient({
  identity: await loadIdentity(config.keys, config.consumerId),
  kafka: { clientId: config.consumerId, brokers: [config.bootstrap] },
  registry: { url: config.registry },
  operatorKeys: [config.operatorKey],
  stateDir: config.keys,
  timeoutMs: 30_000,
  onSkippedRecord: (position, reason) => print({ event: "skipped", position, reason }),
});
const subscription = await client.subscribe(config.groupId);
print({ event: "subscribed", topic: client.deliveriesTopic });

const reading = (async () => {
  for (;;) {
    let outcome;
    try {
      outcome = await subscription.next();
    } catch (error) {
      // The record is read again by the next call.
      print({ event: "failed", message: error.message });
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    if (outcome === undefined) {
      return;
    }
    const { position, ...rest } = outcome;
    print({ event: "outcome", ...printable(rest), position: `${position.topic}/${position.partition}/${position.offset}` });
  }
})();

/** An outcome as printed: a delivered one's values replaced by whether each is the value issued. */
function printable(outcome) {
  if (outcome.kind !== "delivered") {
    return outcome;
  }
  return { ...outcome, values: Object.fromEntries(Object.entries(outcome.values)
    .map(([name, value]) => [name, value === config.expectedValues[name] ? "as issued" : "differs"])) };
}

const receivers = new Map();

for (let next = await lines.next(); !next.done; next = await lines.next()) {
  const command = JSON.parse(next.value);
  try {
    if (command.command === "request") {
      const requestId = await client.request(command.holderId, command.credentialType, command.fields,
        command.purpose);
      print({ event: "requested", requestId });
    } else if (command.command === "webhook") {
      if (!receivers.has(command.secret)) {
        receivers.set(command.secret, new WebhookReceiver(command.secret));
      }
      try {
        const outcome = await receivers.get(command.secret).receive(command.headers, command.body, client);
        print({ event: "webhook", outcome: printable(outcome) });
      } catch (error) {
        print({ event: "webhook", rejected: error.constructor.name, message: error.message });
      }
    } else if (command.command === "close") {
      break;
    } else {
      print({ event: "error", message: `unknown command ${command.command}` });
    }
  } catch (error) {
    print({ event: "error", message: error.message });
  }
}
await client.close();
await reading;
print({ event: "closed" });
process.exit(0);
