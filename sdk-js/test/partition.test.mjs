// Keys land where Kafka's Java clients put them: the processors refuse a record in any other partition.
import { test } from "node:test";
import assert from "node:assert/strict";
import { partitionOf } from "../dist/partition.js";

// Computed with kafka-clients 4.3.1: Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % n, for n = 6, 12, 7.
// ("21" and "abc" hash to -973932308 and 479470107, as in kafka-clients' own UtilsTest.testMurmur2.)
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

test("kafkajs's default partitioner places every key in the partition Java's DefaultPartitioner does", () => {
  for (const [key, expected] of Object.entries(JAVA_PARTITIONS)) {
    assert.deepEqual([6, 12, 7].map((n) => partitionOf(key, n)), expected, `key ${key}`);
  }
});
