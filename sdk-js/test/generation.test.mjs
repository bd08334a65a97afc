// Following the generation of the holder-keyed topics (docs/protocol.md section 9, "Topic generations").
import { test } from "node:test";
import assert from "node:assert/strict";
import { GenerationFollower, TopicClosedError, parseGeneration, tooLarge, generationTopic }
  from "../dist/generation.js";

/** A clock that moves only when the follower sleeps, so that waits take no real time. */
function clock() {
  let now = 1_000_000;
  return { now: () => now, sleep: async (ms) => { now += ms; }, advance: (ms) => { now += ms; } };
}

test("a generation record is read only in its exact form; anything else is ignored", () => {
  assert.deepEqual(parseGeneration(Buffer.from('{"generation":2,"partitions":12}')), { number: 2 });
  for (const other of ['{"generation": 2,"partitions":12}', '{"generation":02,"partitions":12}',
    '{"generation":2,"partitions":0}', '{"generation":10000,"partitions":1}', '{"partitions":12,"generation":2}']) {
    assert.equal(parseGeneration(Buffer.from(other)), undefined, other);
  }
  assert.equal(generationTopic("idstream", 0, "access.requests"), "idstream.access.requests");
  assert.equal(generationTopic("idstream", 3, "access.requests"), "idstream.g3.access.requests");
});

test("the generation is read before the first write and again only once 10 s have passed", async () => {
  const time = clock();
  let reads = 0;
  const follower = new GenerationFollower(async () => ({ number: reads++ }),
    { prefix: "idstream", timeoutMs: 30_000, ...time });
  assert.equal(await follower.topic("access.requests"), "idstream.access.requests");
  time.advance(9_999);
  assert.equal(await follower.topic("access.requests"), "idstream.access.requests");
  assert.equal(reads, 1);
  time.advance(1);
  assert.equal(await follower.topic("access.requests"), "idstream.g1.access.requests");
  assert.equal(reads, 2);
});

test("a write refused by a closed topic waits for the next generation and is written there", async () => {
  const time = clock();
  let published = 0;
  const writes = [];
  const follower = new GenerationFollower(async () => ({ number: published }),
    { prefix: "idstream", timeoutMs: 30_000, ...time });
  const written = await follower.writeFollowing("access.requests", async (topic) => {
    writes.push({ topic, at: time.now() });
    if (topic === "idstream.access.requests") {
      if (writes.length === 2) {
        published = 1; // the growth publishes generation 1 while the writer waits
      }
      throw new TopicClosedError("MESSAGE_TOO_LARGE");
    }
    return topic;
  });
  assert.equal(written, "idstream.g1.access.requests");
  // The closed topic is tried again after 2 s (a failed growth would have opened it), then generation 1 appears.
  assert.deepEqual(writes.map((w) => w.topic),
    ["idstream.access.requests", "idstream.access.requests", "idstream.g1.access.requests"]);
  assert.equal(writes[1].at - writes[0].at, 2000);
});

test("a closed topic with no newer generation fails the write at the client's timeout, naming the growth", async () => {
  const time = clock();
  const follower = new GenerationFollower(async () => ({ number: 0 }),
    { prefix: "idstream", timeoutMs: 5_000, ...time });
  const started = time.now();
  await assert.rejects(follower.writeFollowing("access.requests", async () => {
    throw new TopicClosedError("MESSAGE_TOO_LARGE");
  }), /cannot write to idstream.access.requests: the topic is closed for a partition growth and no newer generation appeared within 5 s/);
  assert.equal(time.now() - started, 5_000);
});

test("a record over the topic's limit fails at once, naming its size and the limit", () => {
  const closed = tooLarge("idstream.access.requests", 5, 1000, 65536, "MESSAGE_TOO_LARGE");
  assert.ok(closed instanceof TopicClosedError);
  const over = tooLarge("idstream.access.requests", 5, 65500, 65536, "MESSAGE_TOO_LARGE");
  assert.equal(over.message, "cannot write to idstream.access.requests: the record is 65605 bytes with its batch "
    + "overhead, over the topic's limit of 65536 bytes (max.message.bytes)");
});
