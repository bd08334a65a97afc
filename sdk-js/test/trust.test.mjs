// docs/protocol.md section 8, the consumer client's own checks after the four steps: the issuer's accreditation
// under a pinned operator key (checked here, not taken from the directory), its withdrawal, the issuer's earlier
// keys, the credential's and the grant's expiry by the consumer's clock, and the signed statements of notices.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { ConsumerTrust, rawPublicKey, denyTbs } from "../dist/index.js";
import { vectors, bytes } from "./vectors.mjs";
import { genuineDelivery, keys } from "./deliveries.mjs";
import { accreditation, holderEntry, issuerEntry, lookup, principal, withdrawal } from "./directory.mjs";

const NOW = 1700000200000;
const trust = new ConsumerTrust([keys.operatorSigning]);
const event = (delivery = genuineDelivery()) => ({ record: "CredentialDelivery", ...delivery });
const judge = (e, directory = lookup(issuerEntry(), holderEntry()), now = NOW, by = trust) =>
  by.judge(e, directory, keys.consumerEncryption, now);

function newSigningKey() {
  const { privateKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

async function assertRefused(promise, check, pattern) {
  const outcome = await promise;
  assert.equal(outcome.kind, "refused", `accepted: ${JSON.stringify(outcome.kind)}`);
  assert.equal(outcome.check, check, outcome.reason);
  assert.match(outcome.reason, pattern);
  assert.equal(outcome.requestId, vectors.delivery.requestId);
}

test("the vectors' delivery, from an issuer accredited under the pinned operator key, is delivered", async () => {
  const outcome = await judge(event());
  assert.deepEqual(outcome, { kind: "delivered", requestId: vectors.delivery.requestId, holderId: "alice",
    issuerId: "kyc-co", credentialId: vectors.credential.credentialId, grantId: vectors.grant.grantId,
    values: vectors.delivery.values });
});

test("a delivery naming an issuer or holder the directory does not hold is refused as STRUCTURE", async () => {
  await assertRefused(judge(event(), lookup(holderEntry())), "STRUCTURE", /issuer 'kyc-co' is not in the directory/);
  await assertRefused(judge(event(), lookup(issuerEntry())), "STRUCTURE", /holder 'alice' is not in the directory/);
});

test("an issuer not accredited by a key this consumer pins is refused as ISSUER_ACCREDITATION", async () => {
  const rogue = newSigningKey();
  const entry = (change) => { const e = issuerEntry(); change(e); return lookup(e, holderEntry()); };
  await assertRefused(judge(event(), undefined, NOW, new ConsumerTrust([])), "ISSUER_ACCREDITATION",
    /pins no operator key \(idstream\.operator\.keys\)/);
  await assertRefused(judge(event(), entry((e) => { e.accreditation = null; })), "ISSUER_ACCREDITATION",
    /issuer 'kyc-co' is not accredited/);
  await assertRefused(judge(event(), entry((e) => {
    e.accreditation = accreditation("kyc-co", "issuer", keys.issuerSigning, 1699999999500, rogue.privateKey,
      rogue.publicKey);
  })), "ISSUER_ACCREDITATION", /accredited by operator key [0-9a-f]{64}, which this consumer does not pin/);
  await assertRefused(judge(event(), entry((e) => {
    e.accreditation = accreditation("kyc-co", "issuer", keys.issuerSigning, 1699999999500, rogue.privateKey);
  })), "ISSUER_ACCREDITATION", /does not verify/);
  await assertRefused(judge(event(), entry((e) => { e.accreditation.signature[0] ^= 1; })), "ISSUER_ACCREDITATION",
    /does not verify/);
  await assertRefused(judge(event(), entry((e) => {
    e.accreditation = accreditation("kyc-co", "issuer", rogue.publicKey, 1699999999500);
  })), "ISSUER_ACCREDITATION", /does not vouch for its id, the role issuer and its current signing key/);
  await assertRefused(judge(event(), entry((e) => {
    e.accreditation = accreditation("kyc-co2", "issuer", keys.issuerSigning, 1699999999500);
  })), "ISSUER_ACCREDITATION", /does not vouch/);
  await assertRefused(judge(event(), entry((e) => {
    e.accreditation = accreditation("kyc-co", "holder", keys.issuerSigning, 1699999999500);
  })), "ISSUER_ACCREDITATION", /does not vouch/);
  await assertRefused(judge(event(), entry((e) => { e.principal.role = "consumer"; })), "ISSUER_ACCREDITATION",
    /'kyc-co' is registered as consumer, not issuer/);
});

test("an issuer whose accreditation a pinned operator key withdrew is refused; a forged withdrawal is passed over",
  async () => {
    const withdrawn = issuerEntry();
    const w = vectors.withdrawal;
    withdrawn.withdrawal = { ...w, signingKey: keys.issuerSigning, operatorKey: keys.operatorSigning,
      signature: bytes(w.signature) };
    await assertRefused(judge(event(), lookup(withdrawn, holderEntry())), "ISSUER_ACCREDITATION",
      /the accreditation of issuer 'kyc-co' was withdrawn at 1700000600000/);

    const forged = issuerEntry();
    forged.withdrawal = withdrawal("kyc-co", "issuer", keys.issuerSigning, 1700000600000, newSigningKey().privateKey);
    assert.equal((await judge(event(), lookup(forged, holderEntry()))).kind, "delivered");
    const older = issuerEntry();
    older.withdrawal = withdrawal("kyc-co", "issuer", keys.issuerSigning, 1699999999000);
    assert.equal((await judge(event(), lookup(older, holderEntry()))).kind, "delivered",
      "a withdrawal older than the accreditation in force");
  });

test("a credential or grant expired by the consumer's clock is refused, however early it was delivered", async () => {
  await assertRefused(judge(event(), undefined, vectors.credential.expiresAt), "CREDENTIAL_EXPIRED",
    /expired at 1731536000000, before this consumer's clock/);
  await assertRefused(judge(event(), undefined, vectors.grant.expiresAt), "GRANT_WINDOW",
    /grant .* expired at 1702592100000/);
  assert.equal((await judge(event(), undefined, vectors.grant.expiresAt - 1)).kind, "delivered");
});

/** kyc-co after a rotation to a new key, its old key (the vectors' issuer key) kept as `previous`. */
function rotatedIssuer(previous) {
  const current = newSigningKey();
  const entry = issuerEntry();
  entry.principal = principal("kyc-co", "issuer", current.publicKey, 1700000050000);
  entry.accreditation = accreditation("kyc-co", "issuer", current.publicKey, 1700000060000);
  entry.previousKeys = previous.map((p) => ({ signingKey: keys.issuerSigning, registeredAt: 1699999999000,
    replacedAt: 1700000050000, accreditation: issuerEntry().accreditation, ...p }));
  return lookup(entry, holderEntry());
}

test("a credential signed before its issuer rotated verifies under the earlier key only as section 8 allows",
  async () => {
    assert.equal((await judge(event(), rotatedIssuer([{}]))).kind, "delivered");
    await assertRefused(judge(event(), rotatedIssuer([])), "ISSUER_SIGNATURE", /the signature does not verify$/);
    await assertRefused(judge(event(), rotatedIssuer([{ replacedAt: vectors.credential.issuedAt }])),
      "ISSUER_SIGNATURE", /replaced at 1700000000000, not after the credential's issuedAt/);
    await assertRefused(judge(event(), rotatedIssuer([{ accreditation: null }])), "ISSUER_SIGNATURE",
      /issuer 'kyc-co' is not accredited/);
    await assertRefused(judge(event(), rotatedIssuer([{ replacedAt: 1700000050001 }])), "ISSUER_SIGNATURE",
      /after the entry's registration/);
    await assertRefused(judge(event(), rotatedIssuer([{}, {}])), "ISSUER_SIGNATURE", /is kept twice/);
    await assertRefused(judge(event(), rotatedIssuer([{ replacedAt: 1700000050000 },
      { signingKey: newSigningKey().publicKey, replacedAt: 1700000040000 }])), "ISSUER_SIGNATURE",
    /before the key listed ahead of it/);
  });

const denial = () => ({ record: "Denial", requestId: vectors.deny.requestId, holderId: "alice",
  decidedAt: vectors.deny.decidedAt, signature: bytes(vectors.deny.signature) });
const notice = (kind, statement, ids = {}) => ({ record: "ConsumerNotice", kind, consumerId: "exchange-a",
  holderId: "alice", requestId: "", grantId: "", credentialId: "", reason: "", at: NOW, statement, ...ids });

test("a notice that ends access passes only with its signed statement about what it names", async () => {
  const requestId = vectors.deny.requestId;
  const denied = await judge(notice("DENIED", denial(), { requestId }));
  assert.deepEqual(denied, { kind: "notice", requestId, notice: "DENIED", holderId: "alice", grantId: "",
    credentialId: "", reason: "" });
  const revoked = { record: "Revocation", ...vectors.revoke, signature: bytes(vectors.revoke.signature) };
  assert.equal((await judge(notice("REVOKED", revoked, { grantId: vectors.revoke.grantId }))).kind, "notice");
  const erased = { record: "Erasure", ...vectors.erase, signature: bytes(vectors.erase.signature) };
  assert.equal((await judge(notice("ERASED", erased, { credentialId: vectors.erase.credentialId }))).kind, "notice");
  const credentialRevoked = { record: "CredentialRevoked", ...vectors.credentialRevoke, holderId: "alice",
    signature: bytes(vectors.credentialRevoke.signature) };
  const ids = { credentialId: vectors.credentialRevoke.credentialId };
  assert.equal((await judge(notice("CREDENTIAL_REVOKED", credentialRevoked, ids))).kind, "notice");
  assert.equal((await judge(notice("PENDING", null, { requestId }))).kind, "notice", "the processors' word");

  const refusedNotice = async (e, pattern, directory) => {
    const outcome = await judge(e, directory);
    assert.equal(outcome.kind, "refused");
    assert.equal(outcome.check, "NOTICE_STATEMENT", outcome.reason);
    assert.match(outcome.reason, pattern);
  };
  await refusedNotice(notice("DENIED", null, { requestId }), /carries no signed statement/);
  await refusedNotice(notice("DENIED", denial(), { requestId: vectors.credential.credentialId }),
    /names request '.*' of 'alice', its statement request '2b5d4f5e/);
  await refusedNotice(notice("DENIED", { ...denial(), decidedAt: 1 }, { requestId }),
    /signature does not verify under holder 'alice''s key/);
  const mallory = newSigningKey();
  const forgedDenial = { ...denial(), holderId: "mallory" };
  forgedDenial.signature = sign(null, denyTbs(forgedDenial), mallory.privateKey);
  await refusedNotice(notice("DENIED", forgedDenial, { requestId, holderId: "mallory" }),
    /signed by holder 'mallory', who is not in the directory/);
  const malloryAsIssuer = { principal: principal("mallory", "issuer", mallory.publicKey), accreditation: null,
    verifiedAt: 0, withdrawal: null, latestAccreditedAt: 0, previousKeys: [] };
  await refusedNotice(notice("DENIED", forgedDenial, { requestId, holderId: "mallory" }),
    /registered as issuer, not holder/, lookup(issuerEntry(), holderEntry(), malloryAsIssuer));
  await refusedNotice(notice("REVOKED", denial(), { requestId }), /carries a Denial as its statement/);
  const unaccredited = issuerEntry();
  unaccredited.accreditation = null;
  await refusedNotice(notice("CREDENTIAL_REVOKED", credentialRevoked, ids),
    /signed by an issuer this consumer does not trust: issuer 'kyc-co' is not accredited/,
    lookup(unaccredited, holderEntry()));
  await refusedNotice(notice("CREDENTIAL_REVOKED", { ...credentialRevoked, reason: "another" }, ids),
    /does not verify under issuer 'kyc-co''s key/);
});

test("a directory that cannot be read fails the judgement rather than refusing the event", async () => {
  const unreachable = async () => { throw new Error("directory unreachable"); };
  await assert.rejects(judge(event(), unreachable), /directory unreachable/);
});

test("an event whose shape provokes an error is refused as STRUCTURE", async () => {
  const outcome = await judge(notice("DENIED", { ...denial(), decidedAt: "yesterday" },
    { requestId: vectors.deny.requestId }));
  assert.equal(outcome.kind, "refused");
  assert.equal(outcome.check, "STRUCTURE");
});

test("a delivery whose credential type reads \"ConsumerNotice\" is judged as the delivery it is", async () => {
  const outcome = await judge(event({ ...genuineDelivery(), type: "ConsumerNotice" }));
  assert.equal(outcome.kind, "refused");
  assert.equal(outcome.check, "ISSUER_SIGNATURE", outcome.reason);
});
