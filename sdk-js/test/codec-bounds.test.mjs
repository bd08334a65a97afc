// A record's Avro body is checked against its writer's schema before it is decoded: a count or length that claims
// more than the bytes hold is refused as a record that does not decode, at once and without allocating for it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { fullSchema } from "../dist/schemas.js";
import { RecordCodec } from "../dist/codec.js";
import { DirectoryClient } from "../dist/directory.js";
import { startRegistry } from "./registry.mjs";

const CLAIMED_ITEMS = 300_000_000n;

/** Avro's zig-zag varint of a long. */
function zigzag(n) {
  let v = n >= 0n ? n * 2n : -n * 2n - 1n;
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

function wire(schemaId, body) {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, Buffer.from(body)]);
}

function delivery() {
  const requestId = "6f0c8f5e-1c1a-4a55-9d6b-0f1f2e3d4c5b";
  return {
    requestId, consumerId: "exchange-a", holderId: "alice", issuerId: "kyc-co", credentialId: "c-1", type: "kyc",
    issuedAt: 1700000000000, expiresAt: 0,
    commitments: [{ name: "age", commitment: Buffer.alloc(32, 1) }, { name: "country", commitment: Buffer.alloc(32, 2) }],
    disclosed: [{ name: "country", ciphertext: Buffer.alloc(50, 2) }], issuerSignature: Buffer.alloc(64, 3),
    grant: { grantId: "g-1", requestId, purpose: "onboarding", issuedAt: 1, fields: ["country"], notBefore: 1,
      expiresAt: 0, maxUses: 5, keysEnc: Buffer.alloc(32, 4), keysCiphertext: Buffer.alloc(48, 5),
      holderSignature: Buffer.alloc(64, 6) },
    deliveredAt: 2,
  };
}

function principal(displayName) {
  return { principal: { id: "kyc-co", role: "issuer", signingKey: Buffer.alloc(32, 1), encryptionKey: Buffer.alloc(32, 2),
    displayName, registeredAt: 1, signature: Buffer.alloc(64, 3) }, accreditation: null, verifiedAt: 2, withdrawal: null,
  latestAccreditedAt: 0, previousKeys: [] };
}

test("a 19-byte delivery claiming 3e8 commitments is refused at once, and a delivery that fits still decodes",
  async (t) => {
    const registry = await startRegistry();
    t.after(() => registry.close());
    const id = registry.add(fullSchema("DeliveryEvent"));
    const codec = new RecordCodec({ url: registry.url });
    // The union's CredentialDelivery branch, six empty strings, two zero longs, then the commitments' block count.
    const bomb = wire(id, [0, 0, 0, 0, 0, 0, 0, 0, 0, ...zigzag(CLAIMED_ITEMS)]);
    assert.equal(bomb.length, 19);
    const started = process.hrtime.bigint();
    const decoded = await codec.decodeDeliveryEvent(bomb);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(decoded.ok, false);
    assert.match(decoded.reason, /does not decode as DeliveryEvent: its Avro body claims 300000000 items at byte 9/);
    assert.ok(elapsedMs < 500, `refused in ${elapsedMs} ms`);

    // A negative block count is followed by the block's size in bytes, which must fit as well.
    const sized = await codec.decodeDeliveryEvent(wire(id, [0, 0, 0, 0, 0, 0, 0, 0, 0, ...zigzag(-1n), ...zigzag(1000n)]));
    assert.match(sized.reason, /claims a block of 1000 bytes at byte 9 with 0 bytes left/);
    const unending = await codec.decodeDeliveryEvent(wire(id, [0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x80]));
    assert.match(unending.reason, /ends inside a number at byte 8/);
    const overlong = await codec.decodeDeliveryEvent(wire(id, [0, 0, 0, 0, 0, 0, 0, 0, ...Array(10).fill(0xff), 0x01]));
    assert.match(overlong.reason, /holds a number (too large for its type|longer than 10 bytes) at byte 8/);
    const longString = await codec.decodeDeliveryEvent(wire(id, [0, ...zigzag(CLAIMED_ITEMS)]));
    assert.match(longString.reason, /claims a string of 300000000 bytes at byte 1 with 0 bytes left/);

    const writer = new SchemaRegistry({ host: registry.url });
    const genuine = await writer.encode(id, { event: { "io.idstream.avro.CredentialDelivery": delivery() } });
    const decodedGenuine = await codec.decodeDeliveryEvent(genuine);
    assert.equal(decodedGenuine.ok, true, decodedGenuine.reason);
    assert.equal(decodedGenuine.value.commitments.length, 2);
  });

test("the directory skips an entry claiming 3e8 previous keys and keeps the id's latest entry that fits",
  async (t) => {
    const registry = await startRegistry();
    t.after(() => registry.close());
    const id = registry.add(fullSchema("VerifiedPrincipal"));
    const writer = new SchemaRegistry({ host: registry.url });
    const genuine = await writer.encode(id, principal("KYC Co"));
    // previousKeys is the last field: its closing zero block count becomes a claim of 3e8 keys.
    const bomb = Buffer.concat([genuine.subarray(0, genuine.length - 1), Buffer.from(zigzag(CLAIMED_ITEMS))]);
    const records = [
      { key: "kyc-co", partition: 0, offset: "0", value: genuine },
      { key: "kyc-co", partition: 0, offset: "1", value: bomb },
    ];
    const skipped = [];
    const table = { topic: "idstream.directory.verified", upToDate: async () => {},
      get: (key) => records.filter((r) => r.key === key) };
    const directory = new DirectoryClient(table, new RecordCodec({ url: registry.url }), 30_000,
      (position, reason) => skipped.push(`${position} ${reason}`));
    const started = process.hrtime.bigint();
    const found = await directory.find("kyc-co");
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(found.principal.displayName, "KYC Co");
    assert.equal(skipped.length, 1);
    assert.match(skipped[0], /^idstream\.directory\.verified\/0\/1 with schema id \d+ does not decode as VerifiedPrincipal: its Avro body claims 300000000 items/);
    assert.ok(elapsedMs < 500, `looked up in ${elapsedMs} ms`);
  });
