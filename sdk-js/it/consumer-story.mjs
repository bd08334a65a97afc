// The TypeScript consumer's side of TypeScriptConsumerIT (integration-tests), driven over stdin and stdout with one
// JSON object per line. The first line configures it:
//   {"bootstrap", "registry", "keys", "consumerId", "operatorKey", "groupId", "expectedValues": {field: value}}
// It then prints every outcome its subscription reads, and answers each command line:
//   {"command": "request", "holderId", "credentialType", "fields": [...], "purpose"} -> {"event": "requested", "requestId"}
//   {"command": "close"} -> {"event": "closed"}, and exits.
// A delivered outcome is printed with its field names and, per field, whether the value is the one expected; never a
// value itself.
import { createInterface } from "node:readline";
import { ConsumerClient, loadIdentity } from "../dist/index.js";

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
    const line = { event: "outcome", ...rest, position: `${position.topic}/${position.partition}/${position.offset}` };
    if (outcome.kind === "delivered") {
      line.values = Object.fromEntries(Object.entries(outcome.values)
        .map(([name, value]) => [name, value === config.expectedValues[name] ? "as issued" : "differs"]));
    }
    print(line);
  }
})();

for (let next = await lines.next(); !next.done; next = await lines.next()) {
  const command = JSON.parse(next.value);
  try {
    if (command.command === "request") {
      const requestId = await client.request(command.holderId, command.credentialType, command.fields,
        command.purpose);
      print({ event: "requested", requestId });
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
