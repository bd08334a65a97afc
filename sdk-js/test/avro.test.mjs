// The Avro side: the shipped schemas are the repository's, records decode from the Confluent wire format into the
// records.ts types (and a record that does not decode is told apart from a registry that cannot be reached), a
// request is written under the schema id the registry gives its subject, and the webhook's JSON form maps strictly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { schemaFiles, fullSchema, registeredSchema } from "../dist/schemas.js";
import { RecordCodec, RegistryUnavailableError } from "../dist/codec.js";
import { deliveryEventFromJson } from "../dist/avro.js";
import { startRegistry } from "./registry.mjs";

const bytes = (n, fill) => Buffer.alloc(n, fill);

function sampleDelivery() {
  return {
    requestId: "6f0c8f5e-1c1a-4a55-9d6b-0f1f2e3d4c5b", consumerId: "exchange-a", holderId: "alice",
    issuerId: "kyc-co", credentialId: "c-1", type: "kyc", issuedAt: 1700000000000, expiresAt: 0,
    commitments: [{ name: "country", commitment: bytes(32, 1) }],
    disclosed: [{ name: "country", ciphertext: bytes(50, 2) }],
    issuerSignature: bytes(64, 3),
    grant: {
      grantId: "g-1", requestId: "6f0c8f5e-1c1a-4a55-9d6b-0f1f2e3d4c5b", purpose: "onboarding", issuedAt: 1, fields: ["country"],
      notBefore: 1, expiresAt: 0, maxUses: 5, keysEnc: bytes(32, 4), keysCiphertext: bytes(48, 5), holderSignature: bytes(64, 6),
    },
    deliveredAt: 2,
  };
}

test("the shipped schemas are byte for byte the repository's schemas/src/main/avro", async () => {
  for (const file of Object.values(schemaFiles)) {
    const shipped = await readFile(new URL(`../avro/${file}`, import.meta.url), "utf8");
    const source = await readFile(new URL(`../../schemas/src/main/avro/${file}`, import.meta.url), "utf8");
    assert.equal(shipped, source, `avro/${file} differs from schemas/src/main/avro/${file}: copy it again`);
  }
});

test("a delivery in the wire format decodes into the records.ts form; broken bytes are named, not thrown", async (t) => {
  const registry = await startRegistry();
  t.after(() => registry.close());
  const id = registry.add(fullSchema("DeliveryEvent"));
  const writer = new SchemaRegistry({ host: registry.url });
  const wire = await writer.encode(id, { event: { "io.idstream.avro.CredentialDelivery": sampleDelivery() } });
  const codec = new RecordCodec({ url: registry.url });

  const decoded = await codec.decodeDeliveryEvent(wire);
  assert.equal(decoded.ok, true, decoded.reason);
  // The union's tag is `record`: a delivery's own `type` field, the credential's type, is kept.
  assert.equal(decoded.value.record, "CredentialDelivery");
  assert.equal(decoded.value.type, "kyc");
  assert.equal(decoded.value.requestId, "6f0c8f5e-1c1a-4a55-9d6b-0f1f2e3d4c5b");
  assert.equal(decoded.value.grant.maxUses, 5);
  assert.deepEqual(decoded.value.disclosed[0].ciphertext, new Uint8Array(bytes(50, 2)));
  assert.ok(decoded.value.issuerSignature instanceof Uint8Array);

  const notWire = Buffer.from(wire);
  notWire[0] = 1;
  assert.deepEqual(await codec.decodeDeliveryEvent(notWire), { ok: false, reason: "is not in the Confluent wire format" });

  const unknownId = Buffer.from(wire);
  unknownId.writeInt32BE(999, 1);
  const unknown = await codec.decodeDeliveryEvent(unknownId);
  assert.match(unknown.reason, /names schema id 999, which the registry does not have/);

  const trailing = await codec.decodeDeliveryEvent(Buffer.concat([wire, Buffer.from([0])]));
  assert.match(trailing.reason, new RegExp(`with schema id ${id} does not decode as DeliveryEvent: .*trailing`));

  const truncated = await codec.decodeDeliveryEvent(wire.subarray(0, wire.length - 10));
  assert.match(truncated.reason, /does not decode as DeliveryEvent/);
});

test("a registry that cannot be reached fails the read instead of skipping the record", async () => {
  const registry = await startRegistry();
  const id = registry.add(fullSchema("DeliveryEvent"));
  const wire = await new SchemaRegistry({ host: registry.url })
    .encode(id, { event: { "io.idstream.avro.CredentialDelivery": sampleDelivery() } });
  await registry.close();
  const codec = new RecordCodec({ url: registry.url });
  await assert.rejects(codec.decodeDeliveryEvent(wire), RegistryUnavailableError);
});

test("a request is written under the id the registry gives its schema at <topic>-value, registered as Java does",
  async (t) => {
    const registry = await startRegistry();
    t.after(() => registry.close());
    const javaId = registry.add(registeredSchema("AccessRequest"), "idstream.access.requests-value");
    const codec = new RecordCodec({ url: registry.url });
    const request = {
      requestId: "6f0c8f5e-1c1a-4a55-9d6b-0f1f2e3d4c5b", consumerId: "exchange-a", holderId: "alice", credentialType: "kyc",
      credentialId: "", purpose: "onboarding", createdAt: 1700000000000, fields: ["age_over_18", "country"],
      signature: new Uint8Array(64).fill(7),
    };
    const wire = await codec.encodeAccessRequest("idstream.access.requests", request);
    assert.equal(wire[0], 0);
    assert.equal(wire.readInt32BE(1), javaId, "the same schema, registered again, keeps the subject's id");
    assert.deepEqual(registry.registrations, ["idstream.access.requests-value"]);
    // As the Java class renders it (<stringType>String</stringType>): the registry tells schemas apart by such marks.
    assert.deepEqual(registeredSchema("AccessRequest").fields.find((f) => f.name === "fields").type,
      { type: "array", items: { type: "string", "avro.java.string": "String" } });
    const back = await new SchemaRegistry({ host: registry.url }).decode(wire);
    assert.deepEqual({ ...back, signature: new Uint8Array(back.signature) }, request);
  });

test("the webhook's JSON form maps strictly: base64 bytes, unions named by record, no unknown or missing field", () => {
  const delivery = sampleDelivery();
  const json = JSON.parse(JSON.stringify(delivery, (key, value) =>
    value && value.type === "Buffer" ? Buffer.from(value.data).toString("base64") : value));
  const event = deliveryEventFromJson({ CredentialDelivery: json });
  assert.equal(event.record, "CredentialDelivery");
  assert.equal(event.type, "kyc");
  const notice = deliveryEventFromJson({ ConsumerNotice: { kind: "PENDING", consumerId: "exchange-a", holderId: "alice",
    requestId: "r", grantId: "", credentialId: "", reason: "", at: 1, statement: null } });
  assert.equal(notice.record, "ConsumerNotice");
  assert.equal(notice.statement, null);
  assert.deepEqual(event.grant.keysEnc, new Uint8Array(bytes(32, 4)));

  assert.throws(() => deliveryEventFromJson({ CredentialDelivery: { ...json, extra: 1 } }),
    /DeliveryEvent.event.CredentialDelivery.extra is not a field of CredentialDelivery/);
  const { deliveredAt, ...missing } = json;
  assert.throws(() => deliveryEventFromJson({ CredentialDelivery: missing }), /deliveredAt is missing/);
  assert.throws(() => deliveryEventFromJson({ CredentialDelivery: { ...json, issuerSignature: "not base64!" } }),
    /issuerSignature is not base64/);
  assert.throws(() => deliveryEventFromJson({ Grant: json }), /'Grant' is none of the union's types/);
  assert.equal(deliveredAt, 2);
});
