// Keys land where Kafka's Java clients put them: the processors refuse a record in any other partition.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Partitioners } from "kafkajs";
import { keyPartitioner } from "../dist/partition.js";

// Computed by a one-off Java run against kafka-clients 4.3.1 (the jar in the local Maven repository):
// Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % n, for n = 6, 12, 7. murmur2 gave alice 1951417749,
// bob -2048144690, kyc-co -149767711, exchange-a -1254109641; "21" and "abc" hash to -973932308 and 479470107, as in
// kafka-clients' own UtilsTest.testMurmur2.
const JAVA_PARTITIONS = {
  "alice": [3, 9, 1],
  "bob": [0, 6, 5],
  "kyc-co": [1, 1, 0],
  "exchange-a": [5, 11, 1],
  "holder-0042": [4, 10, 4],
  "a": [4, 4, 5],
  "ab": [2, 2, 0],
  "abc": [3, 3, 4],
  "abcd": [2, 8, 5],
  "zoë-ünïcode": [1, 7, 3],
  "21": [0, 0, 3],
  "a-little-bit-longer-string": [5, 11, 0],
};

/** Where kafkajs's own default partitioner puts `key` in a topic of `partitions` partitions, as a producer asks it. */
function kafkajsPartition(key, partitions) {
  const choose = Partitioners.DefaultPartitioner();
  return choose({
    topic: "idstream.access.requests",
    partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0,
    })),
    message: { key, value: null },
  });
}

test("kafkajs's default partitioner, the one this package's producer is made with, places keys as Java does", () => {
  assert.equal(keyPartitioner, Partitioners.DefaultPartitioner, "the producer's partitioner is kafkajs's default");
  for (const [key, expected] of Object.entries(JAVA_PARTITIONS)) {
    assert.deepEqual([6, 12, 7].map((n) => kafkajsPartition(key, n)), expected, `key ${key}`);
  }
});
