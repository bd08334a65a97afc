// The tables a client follows compacted topics with: a consumer crash kafkajs recovers from is no failure, one it
// does not recover from fails the waiting lookups and the next lookup starts reading again; the generation is the
// highest ever read; the directory keeps a bounded number of records per key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DirectoryTable, GenerationTable, KEPT_PER_KEY } from "../dist/tail.js";

/** kafkajs as far as a table uses it: each consumer made records its event handlers and its batch handler. */
function fakeKafka() {
  const consumers = [];
  const kafka = {
    consumer: () => {
      const consumer = {
        handlers: {}, eachBatch: undefined, disconnected: false,
        events: { END_BATCH_PROCESS: "end", CRASH: "crash" },
        on: (event, handler) => { consumer.handlers[event] = handler; },
        connect: async () => {}, subscribe: async () => {},
        run: async ({ eachBatch }) => { consumer.eachBatch = eachBatch; },
        disconnect: async () => { consumer.disconnected = true; },
      };
      consumers.push(consumer);
      return consumer;
    },
  };
  const topic = { high: 0 };
  const admin = async () => ({ fetchTopicOffsets: async () => [{ partition: 0, low: "0", high: String(topic.high) }] });
  /** Writes records to the topic and lets `consumer` read them. */
  const deliver = async (consumer, records) => {
    for (const { key, value } of records) {
      const offset = String(topic.high++);
      await consumer.eachBatch({ batch: { partition: 0, messages: [{ key: Buffer.from(key), offset,
        value: value === null ? null : Buffer.from(value) }] } });
      consumer.handlers.end({ payload: { partition: 0, lastOffset: offset } });
    }
  };
  /** Lets `consumer` read what the topic has from `from` on (a new consumer reads from the beginning). */
  const replay = async (consumer, records) => {
    for (const [offset, { key, value }] of records.entries()) {
      await consumer.eachBatch({ batch: { partition: 0, messages: [{ key: Buffer.from(key), offset: String(offset),
        value: value === null ? null : Buffer.from(value) }] } });
      consumer.handlers.end({ payload: { partition: 0, lastOffset: String(offset) } });
    }
  };
  return { kafka, admin, topic, consumers, deliver, replay };
}

/** Waits until the table has started its `count`th consumer (failing after 2 s). */
const started = (fake, count) => new Promise((resolve, reject) => {
  const deadline = Date.now() + 2000;
  const poll = () => {
    if (fake.consumers.length >= count && fake.consumers[count - 1].eachBatch) {
      resolve();
    } else if (Date.now() > deadline) {
      reject(new Error(`the table started ${fake.consumers.length} consumers, not ${count}`));
    } else {
      setImmediate(poll);
    }
  };
  poll();
});

test("a crash kafkajs restarts from is no failure; after one it does not, the next lookup reads with a new consumer",
  async () => {
    const fake = fakeKafka();
    const table = new DirectoryTable(fake.kafka, fake.admin, "idstream.directory.verified", "exchange-a.");
    const written = [{ key: "alice", value: "a1" }];
    fake.topic.high = 0;
    await table.upToDate(1000); // an empty topic: starts the consumer
    await started(fake, 1);
    const first = fake.consumers[0];
    await fake.deliver(first, written);
    await table.upToDate(1000);

    written.push({ key: "bob", value: "b1" });
    fake.topic.high++;
    const afterRestart = table.upToDate(1000);
    await new Promise(setImmediate); // the fakes answer at once: the call now waits for the topic's end
    first.handlers.crash({ payload: { error: new Error("The coordinator is not aware of this member"), restart: true } });
    fake.topic.high--;
    await fake.deliver(first, written.slice(1));
    await afterRestart;
    assert.deepEqual(table.get("bob").map((r) => r.value.toString()), ["b1"]);

    written.push({ key: "carol", value: "c1" });
    fake.topic.high++;
    const waiting = table.upToDate(1000);
    await new Promise(setImmediate); // the fakes answer at once: the call now waits for the topic's end
    first.handlers.crash({ payload: { error: new Error("the group's coordinator is gone"), restart: false } });
    await assert.rejects(waiting, /the group's coordinator is gone/);
    assert.equal(first.disconnected, true);

    const again = table.upToDate(1000);
    await started(fake, 2);
    await fake.replay(fake.consumers[1], written);
    await again;
    assert.equal(fake.consumers.length, 2, "a new consumer read the topic");
    assert.deepEqual(table.get("carol").map((r) => r.value.toString()), ["c1"]);
  });

test("the generation is the highest well-formed one keyed current ever read, whatever came after it", async () => {
  const fake = fakeKafka();
  const table = new GenerationTable(fake.kafka, fake.admin, "idstream.generation", "exchange-a.");
  await table.upToDate(1000);
  await started(fake, 1);
  const consumer = fake.consumers[0];
  assert.equal(table.highest(), undefined);
  await fake.deliver(consumer, [{ key: "current", value: '{"generation":3,"partitions":24}' }]);
  await fake.deliver(consumer, Array.from({ length: 40 }, (_, i) => ({ key: "current",
    value: i % 2 === 0 ? "junk" : '{"generation":1,"partitions":6}' })));
  await fake.deliver(consumer, [{ key: "current", value: null }, { key: "other", value: '{"generation":9,"partitions":6}' },
    { key: "current", value: '{"generation":7,"partitions":0}' }]);
  await table.upToDate(1000);
  assert.equal(table.highest(), 3);
  await fake.deliver(consumer, [{ key: "current", value: '{"generation":4,"partitions":48}' }]);
  assert.equal(table.highest(), 4);
});

test("the directory keeps each key's newest records only, oldest first", async () => {
  const fake = fakeKafka();
  const table = new DirectoryTable(fake.kafka, fake.admin, "idstream.directory.verified", "exchange-a.");
  await table.upToDate(1000);
  await started(fake, 1);
  await fake.deliver(fake.consumers[0], Array.from({ length: 100 }, (_, i) => ({ key: "kyc-co", value: `v${i}` })));
  assert.deepEqual(table.get("kyc-co").map((r) => r.value.toString()),
    Array.from({ length: KEPT_PER_KEY }, (_, i) => `v${100 - KEPT_PER_KEY + i}`));
  assert.deepEqual(table.get("nobody"), []);
});
