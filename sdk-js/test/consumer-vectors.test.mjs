// The shared consumer-verification vectors (docs/protocol.md section 15, `consumerVerification`): every event judged
// as a consumer's client judges it, ConsumerTrust then RequestLedger, by a consumer that sent exactly the vectors'
// requests and had the given ones answered, and its outcome, check and values as the vectors say.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConsumerTrust, RequestLedger, x25519PrivateKey } from "../dist/index.js";
import { vectors, bytes } from "./vectors.mjs";

const section = vectors.consumerVerification;
const BYTES = new Set(["signingKey", "encryptionKey", "signature", "operatorKey", "commitment", "ciphertext",
  "issuerSignature", "keysEnc", "keysCiphertext", "holderSignature"]);
const UNIONS = new Set(["event", "statement"]);

/** A record from its JSON form: bytes from hex, a union of several records as `{"<RecordName>": {...}}`. */
function record(value, name) {
  if (Array.isArray(value)) {
    return value.map((item) => record(item, name));
  }
  if (value === null || typeof value !== "object") {
    return BYTES.has(name) && typeof value === "string" ? bytes(value) : value;
  }
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = UNIONS.has(key) && inner !== null ? union(inner) : record(inner, key);
  }
  return out;
}

/** A union's one branch, tagged with its record name. */
function union(value) {
  const [[recordName, inner]] = Object.entries(value);
  return { record: recordName, ...record(inner, recordName) };
}

function position(text) {
  const [, topic, partition, offset] = /^(.*)\/(\d+)\/(\d+)$/.exec(text);
  return { topic, partition: Number(partition), offset };
}

test("the vectors' events reach every check of the consumer and both other outcomes", () => {
  const outcomes = [...new Set(section.events.map((e) => e.outcome))].sort();
  assert.deepEqual(outcomes, ["COMMITMENT", "CREDENTIAL_EXPIRED", "DELIVERED", "FIELD_DECRYPTION", "GRANT_WINDOW",
    "HOLDER_SIGNATURE", "ISSUER_ACCREDITATION", "ISSUER_SIGNATURE", "KEY_PACKAGE", "NOTICE", "NOTICE_STATEMENT",
    "REPEATED", "STRUCTURE", "UNSOLICITED"]);
});

test("every consumer-verification event is judged as the vectors say", async (t) => {
  const trust = new ConsumerTrust(section.operatorKeys.map(bytes));
  const consumerKey = x25519PrivateKey(bytes(vectors.keys.consumerEncryptionPrivate));
  for (const vector of section.events) {
    await t.test(vector.name, async () => {
      const entries = new Map(section.directory.map((e) => [e.principal.id, record(e)]));
      for (const replacement of vector.directory ?? []) {
        entries.set(replacement.principal.id, record(replacement));
      }
      const stateDir = mkdtempSync(join(tmpdir(), "idstream-consumer-vectors-"));
      const ledger = new RequestLedger(section.consumerId, stateDir);
      for (const r of section.requests) {
        ledger.expect(r.requestId, r);
      }
      // Answered before, by another process of this consumer, as the state file records it.
      for (const [requestId, at] of Object.entries(vector.answered ?? {})) {
        appendFileSync(join(stateDir, section.consumerId, "requests"), `answered ${requestId} ${at}\n`);
      }
      const event = union(vector.event);
      const trusted = await trust.judge(event, async (id) => entries.get(id), consumerKey, vector.now ?? section.now);
      const outcome = ledger.judge(event, trusted, position(vector.position));

      const expected = { DELIVERED: "delivered", NOTICE: "notice" }[vector.outcome] ?? "refused";
      assert.equal(outcome.kind, expected, outcome.reason);
      if (expected === "refused") {
        assert.equal(outcome.check, vector.outcome, outcome.reason);
      }
      if (expected === "delivered") {
        assert.deepEqual(outcome.values, vector.values);
      }
    });
  }
});
