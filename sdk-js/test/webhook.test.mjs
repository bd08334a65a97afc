// Receiving deliveries by webhook (docs/webhook.md "Verifying a POST"): each test performs the attack it names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { WebhookReceiver, WebhookRejectedError, WebhookRepeatError, webhookId } from "../dist/webhook.js";

const SECRET = "whsec_" + randomBytes(32).toString("base64");
const TOPIC = "idstream.deliveries.exchange-a";
const b64 = (n, fill) => Buffer.alloc(n, fill).toString("base64");

/** A notice's JSON form, as the sink's AvroJson writes it. */
function noticeEvent(requestId = "6f0c8f5e-1c1a-4a55-9d6b-0f1f2e3d4c5b") {
  return {
    ConsumerNotice: {
      kind: "REVOKED", consumerId: "exchange-a", holderId: "alice", requestId, grantId: "g-1", credentialId: "c-1",
      reason: "revoked by the holder", at: 1700000000000,
      statement: { Revocation: { grantId: "g-1", holderId: "alice", revokedAt: 1700000000000, signature: b64(64, 9) } },
    },
  };
}

/** The body exactly as docs/webhook.md shows the sink builds it: compact JSON, fields in this order. */
function sinkBody(offset, event = noticeEvent(), topic = TOPIC) {
  return JSON.stringify({ version: "idstream/v1/webhook", id: `${topic}/0/${offset}`, topic, partition: 0,
    offset, key: "alice", event });
}

/** Headers as the sink signs them: HMAC-SHA256 over `<webhook-id>.<timestamp>.<body>` with the secret's key. */
function sinkHeaders(body, offset, { secret = SECRET, timestamp = Math.floor(Date.now() / 1000), id, topic = TOPIC }
  = {}) {
  const headerId = id ?? `${topic}/0/${offset}`.replaceAll(".", "%2E");
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const signature = createHmac("sha256", key).update(`${headerId}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": headerId, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${signature}` };
}

/** Records what the consumer was asked to judge, and answers as a consumer that accepted the notice. */
function recordingConsumer() {
  const calls = [];
  return {
    calls,
    deliveriesTopic: TOPIC,
    async verify(event, position) {
      calls.push({ event, position });
      return { kind: "notice", requestId: event.requestId, notice: event.kind, holderId: event.holderId,
        grantId: event.grantId, credentialId: event.credentialId, reason: event.reason };
    },
  };
}

test("a POST signed by the sink is handed to the consumer with the position its id names", async () => {
  const consumer = recordingConsumer();
  const body = sinkBody(42);
  const outcome = await new WebhookReceiver(SECRET).receive(sinkHeaders(body, 42), Buffer.from(body), consumer);
  assert.equal(outcome.notice, "REVOKED");
  assert.deepEqual(consumer.calls[0].position, { topic: TOPIC, partition: 0, offset: "42" });
  const event = consumer.calls[0].event;
  assert.equal(event.statement.grantId, "g-1");
  assert.deepEqual(event.statement.signature, new Uint8Array(64).fill(9));
});

test("a POST signed by the standardwebhooks library is accepted alike", async () => {
  const consumer = recordingConsumer();
  const body = sinkBody(43);
  const id = webhookId(`${TOPIC}/0/43`);
  const now = new Date();
  const headers = { "webhook-id": id, "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(SECRET).sign(id, now, body) };
  await new WebhookReceiver(SECRET).receive(headers, body, consumer);
  assert.equal(consumer.calls.length, 1);
});

test("a body altered after signing is refused before the consumer sees it", async () => {
  const consumer = recordingConsumer();
  const body = sinkBody(44);
  const tampered = body.replace('"revoked by the holder"', '"expired"');
  await assert.rejects(new WebhookReceiver(SECRET).receive(sinkHeaders(body, 44), tampered, consumer),
    (error) => error instanceof WebhookRejectedError && /No matching signature found/.test(error.message));
  assert.equal(consumer.calls.length, 0);
});

test("a POST signed with another secret is refused", async () => {
  const consumer = recordingConsumer();
  const body = sinkBody(45);
  const other = "whsec_" + randomBytes(32).toString("base64");
  await assert.rejects(new WebhookReceiver(SECRET).receive(sinkHeaders(body, 45, { secret: other }), body, consumer),
    /No matching signature found/);
  assert.equal(consumer.calls.length, 0);
});

test("a captured POST replayed after the five-minute window is refused as too old", async () => {
  const consumer = recordingConsumer();
  const body = sinkBody(46);
  const old = Math.floor(Date.now() / 1000) - 301;
  await assert.rejects(new WebhookReceiver(SECRET).receive(sinkHeaders(body, 46, { timestamp: old }), body, consumer),
    /Message timestamp too old/);
  assert.equal(consumer.calls.length, 0);
});

test("a signed id that is not the body's is refused: the position judged is the one signed", async () => {
  const consumer = recordingConsumer();
  const body = sinkBody(47);
  const headers = sinkHeaders(body, 47, { id: webhookId(`${TOPIC}/0/7`) });
  await assert.rejects(new WebhookReceiver(SECRET).receive(headers, body, consumer),
    /the webhook-id header is not the body's id/);
  const inconsistent = body.replace(`"offset":47`, `"offset":48`);
  await assert.rejects(new WebhookReceiver(SECRET).receive(sinkHeaders(inconsistent, 47), inconsistent, consumer),
    /id is not <topic>\/<partition>\/<offset>/);
  assert.equal(consumer.calls.length, 0);
});

test("the same delivery POSTed again is a repeat, not handed on twice; one the consumer failed on is", async () => {
  const consumer = recordingConsumer();
  const receiver = new WebhookReceiver(SECRET);
  const body = sinkBody(49);
  await receiver.receive(sinkHeaders(body, 49), body, consumer);
  await assert.rejects(receiver.receive(sinkHeaders(body, 49), body, consumer),
    (error) => error instanceof WebhookRepeatError && error.message === `delivery ${TOPIC}/0/49 was already accepted: `
      + "answer 2xx and do not process it again");
  assert.equal(consumer.calls.length, 1);

  const failing = { deliveriesTopic: TOPIC, verify: async () => { throw new Error("the directory cannot be reached"); } };
  const next = sinkBody(50);
  await assert.rejects(receiver.receive(sinkHeaders(next, 50), next, failing), /cannot be reached/);
  await receiver.receive(sinkHeaders(next, 50), next, consumer);
  assert.equal(consumer.calls.length, 2);
});

test("a body that is not an idstream/v1/webhook payload is refused, naming what is wrong", async () => {
  const consumer = recordingConsumer();
  const wrongVersion = sinkBody(51).replace("idstream/v1/webhook", "idstream/v2/webhook");
  await assert.rejects(new WebhookReceiver(SECRET).receive(sinkHeaders(wrongVersion, 51), wrongVersion, consumer),
    /version must be idstream\/v1\/webhook/);
  const event = noticeEvent();
  event.ConsumerNotice.kind = "GRANTED";
  const badEnum = sinkBody(52, event);
  await assert.rejects(new WebhookReceiver(SECRET).receive(sinkHeaders(badEnum, 52), badEnum, consumer),
    /kind must be one of NoticeKind's symbols/);
  assert.equal(consumer.calls.length, 0);
});

test("a captured POST replayed with its header names in other cases is still a repeat", async () => {
  const consumer = recordingConsumer();
  const receiver = new WebhookReceiver(SECRET);
  const body = sinkBody(60);
  const mixedCase = (headers) => Object.fromEntries(Object.entries(headers)
    .map(([name, value]) => [name.replace(/(^|-)[a-z]/g, (m) => m.toUpperCase()), value]));
  const headers = mixedCase(sinkHeaders(body, 60));
  assert.ok("Webhook-Timestamp" in headers);
  await receiver.receive(headers, body, consumer);
  for (let replay = 0; replay < 2; replay++) {
    await assert.rejects(receiver.receive(headers, body, consumer), WebhookRepeatError);
  }
  assert.equal(consumer.calls.length, 1);
});

test("a POST naming another topic than the consumer's delivery topic is refused before the consumer judges it",
  async () => {
    const consumer = recordingConsumer();
    const other = "idstream.deliveries.exchange-b";
    const body = sinkBody(61, noticeEvent(), other);
    await assert.rejects(new WebhookReceiver(SECRET).receive(sinkHeaders(body, 61, { topic: other }), body, consumer),
      (error) => error instanceof WebhookRejectedError && !(error instanceof WebhookRepeatError)
        && /names the topic 'idstream\.deliveries\.exchange-b', not this consumer's delivery topic/.test(error.message));
    assert.equal(consumer.calls.length, 0);
  });

test("a delivery whose store failed is not accepted: the sink's retry is handed on", async () => {
  const consumer = recordingConsumer();
  const receiver = new WebhookReceiver(SECRET);
  const body = sinkBody(62);
  await assert.rejects(receiver.receive(sinkHeaders(body, 62), body, consumer,
    () => { throw new Error("the database is away"); }), /the database is away/);
  const kept = [];
  const outcome = await receiver.receive(sinkHeaders(body, 62), body, consumer, (o) => { kept.push(o); });
  assert.equal(outcome.notice, "REVOKED");
  assert.equal(kept.length, 1);
  assert.equal(consumer.calls.length, 2);
});
