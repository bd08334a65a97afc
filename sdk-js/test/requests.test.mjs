// docs/protocol.md section 5: a consumer's signed access request, and the requests it refuses to sign.
import { test } from "node:test";
import assert from "node:assert/strict";
import { verify } from "node:crypto";
import { newAccessRequest, requestTbs, ed25519PrivateKey, x25519PrivateKey, ed25519PublicKey, rawPublicKey, UUID }
  from "../dist/index.js";
import { vectors, bytes } from "./vectors.mjs";

const signingKey = ed25519PrivateKey(bytes(vectors.keys.consumerSigningPrivate));
const encryptionKey = x25519PrivateKey(bytes(vectors.keys.consumerEncryptionPrivate));
const identity = { id: "exchange-a", signingKey, signingPublicKey: rawPublicKey(signingKey), encryptionKey,
  encryptionPublicKey: rawPublicKey(encryptionKey) };

test("a request is signed over section 5's TBS, with a fresh lowercase UUID and its fields sorted", () => {
  const request = newAccessRequest(identity, { holderId: "alice", credentialType: "kyc",
    fields: ["country", "age_over_18"], purpose: "onboarding" }, 1700000100000);

  assert.match(request.requestId, UUID);
  assert.deepEqual(request.fields, ["age_over_18", "country"]);
  assert.equal(request.credentialId, "");
  assert.equal(request.createdAt, 1700000100000);
  // Given the vector's request id, the same terms make the vector's TBS: the signature covers exactly section 5.
  const asVector = { ...request, requestId: vectors.request.requestId };
  assert.equal(Buffer.from(requestTbs(asVector)).toString("hex"), vectors.request.tbs);
  assert.ok(verify(null, requestTbs(request), ed25519PublicKey(identity.signingPublicKey), request.signature),
    "the signature verifies under the consumer's public key with Node's crypto");
  const other = newAccessRequest(identity, { holderId: "alice", credentialId: vectors.credential.credentialId,
    fields: ["country"], purpose: "onboarding" });
  assert.notEqual(other.requestId, request.requestId);
  assert.equal(other.credentialType, "");
  assert.ok(verify(null, requestTbs(other), ed25519PublicKey(identity.signingPublicKey), other.signature));
});

test("a request of the wrong shape is refused before it is signed", () => {
  const terms = { holderId: "alice", credentialType: "kyc", fields: ["country"], purpose: "onboarding" };
  assert.throws(() => newAccessRequest(identity, { ...terms, holderId: "Alice" }), /holder id 'Alice' does not match/);
  assert.throws(() => newAccessRequest(identity, { ...terms, holderId: "a" }), /holder id 'a' does not match/);
  assert.throws(() => newAccessRequest(identity, { ...terms, fields: [] }), /at least one field/);
  assert.throws(() => newAccessRequest(identity, { ...terms, fields: ["country", "age", "country"] }),
    /'country' appears twice/);
  assert.throws(() => newAccessRequest(identity, { ...terms, fields: ["Country"] }), /field name 'Country'/);
  assert.throws(() => newAccessRequest(identity, { ...terms, credentialId: vectors.credential.credentialId }),
    /exactly one of them/);
  assert.throws(() => newAccessRequest(identity, { ...terms, credentialType: "" }), /exactly one of them/);
  assert.throws(() => newAccessRequest(identity, { ...terms, credentialType: undefined }), /exactly one of them/);
  assert.throws(() => newAccessRequest(identity, { ...terms, credentialType: "", credentialId: "not-a-uuid" }),
    /credential id 'not-a-uuid'/);
  assert.throws(() => newAccessRequest({ ...identity, id: "idstream admin" }, terms), /consumer id/);
});
