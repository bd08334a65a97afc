// Every to-be-signed string and signature of the shared vectors (docs/protocol.md sections 4 to 7), byte for byte,
// and the vectors' raw keys as Node KeyObjects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sign } from "node:crypto";
import {
  credentialTbs, requestTbs, grantTbs, denyTbs, revokeTbs, eraseTbs, credentialRevokeTbs, principalTbs, accreditTbs,
  withdrawTbs, ed25519PrivateKey, x25519PrivateKey, rawPublicKey, verifyEd25519, sha256, lp, concat, hex,
} from "../dist/index.js";
import { vectors, bytes } from "./vectors.mjs";

const keys = vectors.keys;
const key = (name) => bytes(keys[name]);

test("each raw 32-byte private key of the vectors makes the vectors' public key", () => {
  for (const role of ["issuer", "holder", "consumer", "operator", "holderRotated"]) {
    const signing = ed25519PrivateKey(key(`${role}SigningPrivate`));
    assert.equal(hex(rawPublicKey(signing)), keys[`${role}SigningPublic`], `${role} signing key`);
  }
  for (const role of ["holder", "consumer", "holderRotated"]) {
    const encryption = x25519PrivateKey(key(`${role}EncryptionPrivate`));
    assert.equal(hex(rawPublicKey(encryption)), keys[`${role}EncryptionPublic`], `${role} encryption key`);
  }
  assert.throws(() => ed25519PrivateKey(new Uint8Array(31)), /32 bytes/);
});

/** The TBS is the vector's, its signature verifies, and signing it again (Ed25519 is deterministic) gives it. */
function assertSigned(name, tbs, signerPrivate, signerPublic) {
  const vector = vectors[name];
  assert.equal(hex(tbs), vector.tbs, `${name} TBS`);
  const signature = vector.signature ?? vector.issuerSignature;
  assert.ok(verifyEd25519(key(signerPublic), tbs, bytes(signature)), `${name} signature verifies`);
  assert.equal(hex(sign(null, tbs, ed25519PrivateKey(key(signerPrivate)))), signature, `${name} signature`);
  const altered = Uint8Array.from(tbs);
  altered[altered.length - 1] ^= 1;
  assert.ok(!verifyEd25519(key(signerPublic), altered, bytes(signature)), `${name} signature of altered bytes`);
}

test("credential (section 4): commitments in any order make the same TBS", () => {
  const c = vectors.credential;
  const commitments = c.fields.map((f) => ({ name: f.name, commitment: bytes(f.commitment) })).reverse();
  assertSigned("credential", credentialTbs(c, commitments), "issuerSigningPrivate", "issuerSigningPublic");
  assert.throws(() => credentialTbs(c, [...commitments, commitments[0]]), /appears twice/);
});

test("request (section 5)", () => {
  const r = vectors.request;
  assertSigned("request", requestTbs(r), "consumerSigningPrivate", "consumerSigningPublic");
});

test("grant (section 6), the key package's hash included", () => {
  const g = vectors.grant;
  const grant = { ...g, keysEnc: bytes(g.keysEnc), keysCiphertext: bytes(g.keysCiphertext) };
  const tbs = grantTbs(grant);
  assertSigned("grant", tbs, "holderSigningPrivate", "holderSigningPublic");
  const digest = sha256(concat(lp(grant.keysEnc), lp(grant.keysCiphertext)));
  assert.equal(hex(tbs.subarray(tbs.length - 32)), hex(digest));
});

test("deny, revoke, erase (section 6), signed by the holder", () => {
  assertSigned("deny", denyTbs(vectors.deny), "holderSigningPrivate", "holderSigningPublic");
  assertSigned("revoke", revokeTbs(vectors.revoke), "holderSigningPrivate", "holderSigningPublic");
  assertSigned("erase", eraseTbs(vectors.erase), "holderSigningPrivate", "holderSigningPublic");
});

test("credential revocation (section 6), signed by the issuer", () => {
  assertSigned("credentialRevoke", credentialRevokeTbs(vectors.credentialRevoke), "issuerSigningPrivate",
    "issuerSigningPublic");
});

test("principal, accreditation, withdrawal (section 7)", () => {
  const p = vectors.principal;
  assertSigned("principal", principalTbs({ ...p, signingKey: key("holderSigningPublic"),
    encryptionKey: key("holderEncryptionPublic") }), "holderSigningPrivate", "holderSigningPublic");
  const issuerKey = key("issuerSigningPublic");
  assertSigned("accreditation", accreditTbs({ ...vectors.accreditation, signingKey: issuerKey }),
    "operatorSigningPrivate", "operatorSigningPublic");
  assertSigned("withdrawal", withdrawTbs({ ...vectors.withdrawal, signingKey: issuerKey }),
    "operatorSigningPrivate", "operatorSigningPublic");
});

test("a signature of the wrong size, or under a key of the wrong size, does not verify", () => {
  const r = vectors.request;
  const tbs = requestTbs(r);
  assert.ok(!verifyEd25519(key("consumerSigningPublic"), tbs, bytes(r.signature).subarray(0, 63)));
  assert.ok(!verifyEd25519(key("consumerSigningPublic").subarray(0, 31), tbs, bytes(r.signature)));
});
