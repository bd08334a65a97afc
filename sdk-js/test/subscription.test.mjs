// The subscription's hand-over (docs/sdk.md "ConsumerClient"), driven by a stand-in for kafkajs's consumer that
// hands batches to eachBatch as kafkajs does and records what the subscription resolves (commits) and seeks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setImmediate as tick } from "node:timers/promises";
import { Subscription as KafkaSubscription } from "../dist/index.js";

/** Every subscription a test opened, closed when the test ends, so that a failed assertion leaves none running. */
const open = [];
test.afterEach(async () => {
  await Promise.all(open.splice(0).map((subscription) => subscription.close()));
});
const Subscription = {
  async open(...args) {
    const subscription = await KafkaSubscription.open(...args);
    open.push(subscription);
    return subscription;
  },
};

const TOPIC = "idstream.deliveries.exchange-a";

/** A kafkajs stand-in: `batch(offsets)` runs eachBatch over those offsets, as kafkajs's fetch loop would. */
function fakeKafka() {
  const state = { resolved: [], seeks: [], eachBatch: undefined };
  const consumer = {
    events: { CRASH: "consumer.crash" },
    on() {},
    async connect() {},
    async subscribe() {},
    async run({ eachBatch }) { state.eachBatch = eachBatch; },
    seek(where) { state.seeks.push(where); },
    async disconnect() {},
  };
  state.kafka = { consumer: () => consumer };
  state.admin = { fetchTopicOffsets: async () => [] };
  state.batch = (offsets) => state.eachBatch({
    batch: { topic: TOPIC, partition: 0, messages: offsets.map((offset) => ({ offset, value: Buffer.from(offset) })) },
    resolveOffset: (offset) => { state.resolved.push(offset); },
    heartbeat: async () => {},
    isRunning: () => true,
    isStale: () => false,
  });
  return state;
}

const notice = (requestId) => ({ kind: "notice", requestId, notice: "PENDING", holderId: "alice", grantId: "",
  credentialId: "", reason: "waiting for the holder" });

test("an outcome's offset is committed only once the caller took it, not when it was judged",
  async () => {
    const kafka = fakeKafka();
    const judged = [];
    let releaseJudgement;
    const slowJudgement = new Promise((resolve) => { releaseJudgement = resolve; });
    const subscription = await Subscription.open(kafka.kafka, kafka.admin, TOPIC, "g", async (value, position) => {
      judged.push(position.offset);
      if (position.offset === "1") {
        await slowJudgement;
      }
      return notice(`r-${position.offset}`);
    });
    const batch = kafka.batch(["0", "1", "2"]);
    await tick();
    assert.deepEqual(judged, [], "judged before anyone asked");
    const first = await subscription.next();
    assert.equal(first.requestId, "r-0");
    assert.deepEqual(first.position, { topic: TOPIC, partition: 0, offset: "0" });
    await tick();
    assert.deepEqual(kafka.resolved, ["0"]);
    assert.deepEqual(judged, ["0"], "the next record is judged only when asked for");
    assert.equal(await subscription.next(20), undefined, "the caller gave up before the judgement ended");
    releaseJudgement();
    await tick();
    assert.deepEqual(judged, ["0", "1"]);
    await subscription.close();
    await batch;
    assert.deepEqual(kafka.resolved, ["0"], "a record judged but not taken is not committed");
  });

test("a record whose judgement throws is not committed, is sought back to, and is read again by the next call",
  async () => {
    const kafka = fakeKafka();
    let failures = 1;
    const subscription = await Subscription.open(kafka.kafka, kafka.admin, TOPIC, "g", async (value, position) => {
      if (failures-- > 0) {
        throw new Error("the registry cannot be reached");
      }
      return notice(`r-${position.offset}`);
    });
    const failed = subscription.next();
    await kafka.batch(["5", "6"]);
    await assert.rejects(failed, /the registry cannot be reached/);
    assert.deepEqual(kafka.seeks, [{ topic: TOPIC, partition: 0, offset: "5" }]);
    assert.deepEqual(kafka.resolved, []);
    const again = subscription.next();
    const batch = kafka.batch(["5", "6"]);
    assert.equal((await again).requestId, "r-5");
    await subscription.close();
    await batch;
    assert.deepEqual(kafka.resolved, ["5"]);
  });

test("a poisoned record, refused as STRUCTURE, is taken and committed, and the next record follows", async () => {
  const kafka = fakeKafka();
  const subscription = await Subscription.open(kafka.kafka, kafka.admin, TOPIC, "g", async (value, position) =>
    position.offset === "8"
      ? { kind: "refused", requestId: "", check: "STRUCTURE", reason: `the record at ${position.offset} does not decode` }
      : notice(`r-${position.offset}`));
  const batch = kafka.batch(["8", "9"]);
  const poisoned = await subscription.next();
  assert.equal(poisoned.check, "STRUCTURE");
  const following = await subscription.next(1000);
  assert.equal(following?.requestId, "r-9");
  await tick();
  assert.deepEqual(kafka.resolved, ["8", "9"]);
  await subscription.close();
  await batch;
});
