// Looking principals up in the verified directory as the Java DirectoryClient does: the id's latest entry that
// decodes, none after a tombstone, remembered for 30 s.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { fullSchema } from "../dist/schemas.js";
import { RecordCodec } from "../dist/codec.js";
import { DirectoryClient } from "../dist/directory.js";
import { startRegistry } from "./registry.mjs";

function entry(displayName) {
  return { principal: { id: "kyc-co", role: "issuer", signingKey: Buffer.alloc(32, 1), encryptionKey: Buffer.alloc(32, 2),
    displayName, registeredAt: 1, signature: Buffer.alloc(64, 3) }, accreditation: null, verifiedAt: 2, withdrawal: null,
  latestAccreditedAt: 0, previousKeys: [] };
}

/** The topic as the table holds it: each key's records, oldest first; counts how often it was read to its end. */
function table(records) {
  const read = { count: 0 };
  return { read, topic: "idstream.directory.verified", upToDate: async () => { read.count++; },
    get: (key) => records.filter((r) => r.key === key) };
}

test("a lookup takes the id's latest entry that decodes, reports one that does not, and caches it for 30 s", async (t) => {
  const registry = await startRegistry();
  t.after(() => registry.close());
  const id = registry.add(fullSchema("VerifiedPrincipal"));
  const writer = new SchemaRegistry({ host: registry.url });
  const records = [
    { key: "kyc-co", partition: 1, offset: "0", value: await writer.encode(id, entry("KYC Co")) },
    { key: "kyc-co", partition: 1, offset: "1", value: await writer.encode(id, entry("KYC Co, renamed")) },
    { key: "kyc-co", partition: 1, offset: "2", value: Buffer.from("not avro") },
    { key: "gone", partition: 2, offset: "0", value: await writer.encode(id, entry("Gone")) },
    { key: "gone", partition: 2, offset: "1", value: null },
  ];
  const topic = table(records);
  const skipped = [];
  let now = 1_000_000;
  const directory = new DirectoryClient(topic, new RecordCodec({ url: registry.url }), 30_000,
    (position, reason) => skipped.push(`${position} ${reason}`), () => now);

  assert.equal((await directory.find("kyc-co")).principal.displayName, "KYC Co, renamed");
  assert.deepEqual(skipped, ["idstream.directory.verified/1/2 is not in the Confluent wire format"]);
  assert.equal(await directory.find("gone"), undefined, "a tombstone removes the entry");
  assert.equal(await directory.find("nobody"), undefined);

  records.push({ key: "kyc-co", partition: 1, offset: "3", value: await writer.encode(id, entry("KYC Co, again")) });
  const reads = topic.read.count;
  now += 29_999;
  assert.equal((await directory.find("kyc-co")).principal.displayName, "KYC Co, renamed", "cached");
  assert.equal(topic.read.count, reads);
  now += 1;
  assert.equal((await directory.find("kyc-co")).principal.displayName, "KYC Co, again", "read again after 30 s");
  assert.equal((await directory.fresh("kyc-co")).principal.displayName, "KYC Co, again");
  await assert.rejects(directory.require("kyc-co", "holder"), /'kyc-co' is registered as issuer, not holder/);
  await assert.rejects(directory.require("nobody", "holder"), /'nobody' is not registered/);
});
