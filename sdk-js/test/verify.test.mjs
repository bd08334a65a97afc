// docs/protocol.md sections 3, 4, 6 and 8: HPKE (RFC 9180 appendix A.1 and the vectors' sealed values), the field
// cryptography, and a consumer's verification of the vectors' delivery, refused with the check named when any signed
// byte is altered.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sign } from "node:crypto";
import { verifyDelivery, x25519PrivateKey, grantTbs, credentialTbs, lp, u32, concat, utf8, hex } from "../dist/index.js";
import { hpkeSeal, hpkeOpen } from "../dist/hpke.js";
import { commitment, fieldKey, encryptField, decryptField, keyPackageAad } from "../dist/fields.js";
import { vectors, bytes } from "./vectors.mjs";
import { genuineDelivery, keys } from "./deliveries.mjs";

const verify = (delivery) => verifyDelivery(delivery, keys.issuerSigning, keys.holderSigning, keys.consumerEncryption);

test("HPKE: RFC 9180 appendix A.1.1's first encryption, sealed from its ikmE and opened", async () => {
  const info = bytes("4f6465206f6e2061204772656369616e2055726e");
  const aad = bytes("436f756e742d30");
  const pt = bytes("4265617574792069732074727574682c20747275746820626561757479");
  const sealed = await hpkeSeal(bytes("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d"), info, aad, pt,
    bytes("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234"));
  assert.equal(hex(sealed.enc), "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431");
  assert.equal(hex(sealed.ct),
    "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a");
  const recipient = x25519PrivateKey(bytes("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"));
  assert.equal(hex(await hpkeOpen(recipient, info, aad, sealed)), hex(pt));
  await assert.rejects(hpkeOpen(recipient, info, bytes("00"), sealed), /does not open/);
  await assert.rejects(hpkeOpen(recipient, info, aad, { enc: sealed.enc.subarray(0, 31), ct: sealed.ct }),
    /enc is 31 bytes, expected 32/);
  await assert.rejects(hpkeOpen(recipient, info, aad, { enc: new Uint8Array(32), ct: sealed.ct }), /does not open/);
});

test("HPKE: the vectors' sealed values, reproduced from their ikmE seeds", async () => {
  const c = vectors.credential;
  const g = vectors.grant;
  const r = vectors.rekey;
  const holderKey = await hpkeSeal(bytes(vectors.keys.holderEncryptionPublic), utf8("idstream/v1/holder-key"),
    concat(lp(c.credentialId), lp(c.holderId)), bytes(c.credentialKey), bytes(c.holderKeyIkmE));
  assert.deepEqual([hex(holderKey.enc), hex(holderKey.ct)], [c.holderKeyEnc, c.holderKeyCiphertext]);
  const keysSealed = await hpkeSeal(bytes(vectors.keys.consumerEncryptionPublic), utf8("idstream/v1/grant-keys"),
    keyPackageAad(g.grantId, g.credentialId, g.consumerId), bytes(g.keyPackage), bytes(g.keysIkmE));
  assert.deepEqual([hex(keysSealed.enc), hex(keysSealed.ct)], [g.keysEnc, g.keysCiphertext]);
  const rekeyed = await hpkeSeal(bytes(r.encryptionKey), utf8("idstream/v1/holder-key"),
    concat(lp(r.credentialId), lp(r.holderId)), bytes(r.credentialKey), bytes(r.holderKeyIkmE));
  assert.deepEqual([hex(rekeyed.enc), hex(rekeyed.ct)], [r.holderKeyEnc, r.holderKeyCiphertext]);
  const opened = await hpkeOpen(keys.consumerEncryption, utf8("idstream/v1/grant-keys"),
    keyPackageAad(g.grantId, g.credentialId, g.consumerId), { enc: bytes(g.keysEnc), ct: bytes(g.keysCiphertext) });
  assert.equal(hex(opened), g.keyPackage);
});

test("fields: each vector field's commitment, field key and ciphertext, and its decryption", () => {
  const c = vectors.credential;
  for (const f of c.fields) {
    assert.equal(hex(commitment(c.credentialId, f.name, bytes(f.salt), f.value)), f.commitment, f.name);
    assert.equal(hex(fieldKey(bytes(c.credentialKey), c.credentialId, f.name)), f.fieldKey, f.name);
    assert.equal(hex(encryptField(bytes(f.fieldKey), c.credentialId, f.name, bytes(f.salt), f.value, bytes(f.nonce))),
      f.ciphertext, f.name);
    const opened = decryptField(bytes(f.fieldKey), c.credentialId, f.name, bytes(f.ciphertext));
    assert.equal(opened.value, f.value);
    assert.equal(hex(opened.salt), f.salt);
    assert.throws(() => decryptField(bytes(f.fieldKey), c.credentialId, "other", bytes(f.ciphertext)), /does not open/);
  }
});

test("the vectors' delivery verifies and yields exactly the disclosed values", async () => {
  const result = await verify(genuineDelivery());
  assert.deepEqual(result, { ok: true, values: vectors.delivery.values });
});

async function assertRefused(delivery, check, what) {
  const result = await verify(delivery);
  assert.equal(result.ok, false, `${what}: accepted`);
  assert.equal(result.check, check, `${what}: ${result.reason}`);
}

/** Every byte of the value at `path` flipped in turn, each refused with `check`. */
async function flipEach(path, check) {
  const length = path(genuineDelivery()).length;
  assert.ok(length > 0);
  for (let i = 0; i < length; i++) {
    const delivery = genuineDelivery();
    path(delivery)[i] ^= 0x01;
    await assertRefused(delivery, check, `byte ${i}`);
  }
}

test("a delivery with any signed byte flipped is refused, naming the check that failed", async () => {
  await flipEach((d) => d.issuerSignature, "ISSUER_SIGNATURE");
  for (let c = 0; c < vectors.credential.fields.length; c++) {
    await flipEach((d) => d.commitments[c].commitment, "ISSUER_SIGNATURE");
  }
  await flipEach((d) => d.grant.holderSignature, "HOLDER_SIGNATURE");
  await flipEach((d) => d.grant.keysEnc, "HOLDER_SIGNATURE");
  await flipEach((d) => d.grant.keysCiphertext, "HOLDER_SIGNATURE");
  for (let f = 0; f < vectors.delivery.disclosed.length; f++) {
    await flipEach((d) => d.disclosed[f].ciphertext, "FIELD_DECRYPTION");
  }
});

test("a delivery with any signed string or number changed is refused, naming the check that failed", async () => {
  const changes = [
    ["credentialId", (d) => { d.credentialId = "6f1c2a4e-0d3b-4e5f-9a8b-7c6d5e4f3a2c"; }, "ISSUER_SIGNATURE"],
    ["holderId", (d) => { d.holderId = "mallory"; }, "ISSUER_SIGNATURE"],
    ["issuerId", (d) => { d.issuerId = "other-issuer"; }, "ISSUER_SIGNATURE"],
    ["type", (d) => { d.type = "kyc2"; }, "ISSUER_SIGNATURE"],
    ["issuedAt", (d) => { d.issuedAt += 1; }, "ISSUER_SIGNATURE"],
    ["expiresAt", (d) => { d.expiresAt = 0; }, "ISSUER_SIGNATURE"],
    ["an undisclosed commitment's name", (d) => { d.commitments[2].name = "full_names"; }, "ISSUER_SIGNATURE"],
    ["consumerId", (d) => { d.consumerId = "exchange-b"; }, "HOLDER_SIGNATURE"],
    ["grantId", (d) => { d.grant.grantId = "9e8d7c6b-5a49-4837-8261-5f4e3d2c1b0b"; }, "HOLDER_SIGNATURE"],
    ["grant requestId", (d) => { d.grant.requestId = ""; }, "HOLDER_SIGNATURE"],
    ["purpose", (d) => { d.grant.purpose = "marketing"; }, "HOLDER_SIGNATURE"],
    ["grant issuedAt", (d) => { d.grant.issuedAt += 1; }, "HOLDER_SIGNATURE"],
    ["notBefore", (d) => { d.grant.notBefore -= 1; }, "HOLDER_SIGNATURE"],
    ["grant expiresAt", (d) => { d.grant.expiresAt = 0; }, "HOLDER_SIGNATURE"],
    ["maxUses", (d) => { d.grant.maxUses = 0; }, "HOLDER_SIGNATURE"],
    ["a granted field dropped", (d) => { d.grant.fields = ["age_over_18", "country"]; }, "HOLDER_SIGNATURE"],
    ["a granted field added", (d) => { d.grant.fields = ["age_over_18", "country", "full_name", "kyc_level"]; },
      "HOLDER_SIGNATURE"],
    ["a field disclosed under another name", (d) => { d.disclosed[1].name = "kyc_level"; }, "FIELD_DECRYPTION"],
    ["deliveredAt before the window", (d) => { d.deliveredAt = d.grant.notBefore - 1; }, "GRANT_WINDOW"],
    ["deliveredAt at the window's end", (d) => { d.deliveredAt = d.grant.expiresAt; }, "GRANT_WINDOW"],
  ];
  for (const [what, change, check] of changes) {
    const delivery = genuineDelivery();
    change(delivery);
    await assertRefused(delivery, check, what);
  }
});

test("a delivery of the wrong shape is refused as STRUCTURE before any signature is checked", async () => {
  const changes = [
    ["no grant", (d) => { d.grant = null; }],
    ["no commitments", (d) => { d.commitments = null; }],
    ["no disclosed list", (d) => { d.disclosed = null; }],
    ["commitments out of order", (d) => { d.commitments.reverse(); }],
    ["a commitment repeated", (d) => { d.commitments[1] = d.commitments[0]; }],
    ["a 31-byte commitment", (d) => { d.commitments[0].commitment = d.commitments[0].commitment.subarray(1); }],
    ["granted fields out of order", (d) => { d.grant.fields.reverse(); }],
    ["a granted field not committed", (d) => { d.grant.fields.push("zip"); }],
    ["disclosed fields out of order", (d) => { d.disclosed.reverse(); }],
    ["a disclosed field not granted", (d) => { d.disclosed[1].name = "full_name"; }],
    ["maxUses negative", (d) => { d.grant.maxUses = -1; }],
    ["an object where a list belongs", (d) => { d.commitments = {}; }],
  ];
  for (const [what, change] of changes) {
    const delivery = genuineDelivery();
    change(delivery);
    // Signed by nobody: a STRUCTURE refusal comes before any signature is looked at.
    delivery.issuerSignature = new Uint8Array(64);
    await assertRefused(delivery, "STRUCTURE", what);
  }
});

/** The grant re-signed by the holder over another key package (the holder's key, so both signatures verify). */
async function withKeyPackage(plaintext, enc) {
  const delivery = genuineDelivery();
  const g = delivery.grant;
  const sealed = await hpkeSeal(bytes(vectors.keys.consumerEncryptionPublic), utf8("idstream/v1/grant-keys"),
    keyPackageAad(g.grantId, delivery.credentialId, delivery.consumerId), plaintext);
  g.keysEnc = enc ?? sealed.enc;
  g.keysCiphertext = sealed.ct;
  g.holderSignature = sign(null, grantTbs({ ...g, holderId: delivery.holderId, consumerId: delivery.consumerId,
    credentialId: delivery.credentialId }), keys.holderPrivate);
  return delivery;
}

const fieldKeyOf = (name) => bytes(vectors.credential.fields.find((f) => f.name === name).fieldKey);
const entry = (name) => concat(lp(name), fieldKeyOf(name));

test("a key package signed by the holder but not holding exactly the granted keys is refused as KEY_PACKAGE",
  async () => {
    const packages = [
      ["a key missing", concat(u32(2), entry("age_over_18"), entry("country"))],
      ["a key too many", concat(u32(4), entry("age_over_18"), entry("country"), entry("full_name"), entry("kyc_level"))],
      ["names out of order", concat(u32(3), entry("country"), entry("age_over_18"), entry("kyc_level"))],
      ["trailing bytes", concat(bytes(vectors.grant.keyPackage), Uint8Array.of(0))],
      ["cut short", bytes(vectors.grant.keyPackage).subarray(0, 100)],
      ["a count beyond its bytes", concat(u32(1000), entry("age_over_18"))],
    ];
    for (const [what, plaintext] of packages) {
      await assertRefused(await withKeyPackage(plaintext), "KEY_PACKAGE", what);
    }
    await assertRefused(await withKeyPackage(bytes(vectors.grant.keyPackage), new Uint8Array(31)), "KEY_PACKAGE",
      "a 31-byte enc");
    // The genuine package re-sealed and re-signed still verifies: the refusals above are of the packages themselves.
    assert.equal((await verify(await withKeyPackage(bytes(vectors.grant.keyPackage)))).ok, true);
  });

test("a disclosed value that opens under its field key but is not the committed one is refused as COMMITMENT",
  async () => {
    const c = vectors.credential;
    const country = c.fields.find((f) => f.name === "country");
    const delivery = genuineDelivery();
    delivery.disclosed[1].ciphertext = encryptField(bytes(country.fieldKey), c.credentialId, "country",
      bytes(country.salt), "FR", bytes(country.nonce));
    await assertRefused(delivery, "COMMITMENT", "another value");
    const short = genuineDelivery();
    short.disclosed[0].ciphertext = short.disclosed[0].ciphertext.subarray(0, 43);
    await assertRefused(short, "FIELD_DECRYPTION", "a 43-byte ciphertext");
  });

test("the issuer's signature is checked over the whole credential, not only the disclosed fields", async () => {
  const delivery = genuineDelivery();
  delivery.commitments = delivery.commitments.filter((c) => c.name !== "full_name");
  await assertRefused(delivery, "ISSUER_SIGNATURE", "an undisclosed commitment dropped");
  assert.equal(hex(credentialTbs(genuineDelivery(), genuineDelivery().commitments)), vectors.credential.tbs);
});
