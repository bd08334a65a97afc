/**
 * A consumer's verification of a delivery (docs/protocol.md section 8), needing nothing but the issuer's and the
 * holder's signing keys from the verified directory and the consumer's own encryption key: it trusts no byte of the
 * platform's. The structure first, then the four steps (issuer's signature, holder's signature, the key package, each
 * disclosed field against its commitment), then the grant's window at delivery. Any failure refuses the whole
 * delivery and names the check that failed, as Java's `DeliveryVerifier` does.
 */
import type { KeyObject } from "node:crypto";
import type { Check } from "./outcome.js";
import type { CredentialDelivery } from "./records.js";
import { isStrictlySorted, utf8 } from "./encoding.js";
import {
  COMMITMENT_LENGTH, decryptField, FieldError, keyPackageAad, matchesCommitment, parseKeyPackage,
} from "./fields.js";
import { hpkeOpen } from "./hpke.js";
import { verifyEd25519 } from "./primitives.js";
import { credentialTbs, grantTbs } from "./tbs.js";

export type DeliveryVerification =
  | { ok: true; values: Record<string, string> }
  | { ok: false; check: Check; reason: string };

const GRANT_KEYS_INFO = utf8("idstream/v1/grant-keys");

/** Carries the failed check out of the nested steps; never escapes `verifyDelivery`. */
class Failure extends Error {
  constructor(readonly check: Check, message: string) {
    super(message);
  }
}

/** The delivery's disclosed values when every check passes, or the check that failed and why. */
export async function verifyDelivery(delivery: CredentialDelivery, issuerSigningKey: Uint8Array,
                                     holderSigningKey: Uint8Array,
                                     consumerEncryptionKey: KeyObject): Promise<DeliveryVerification> {
  try {
    return { ok: true, values: await run(delivery, issuerSigningKey, holderSigningKey, consumerEncryptionKey) };
  } catch (e) {
    if (e instanceof Failure) {
      return { ok: false, check: e.check, reason: e.message };
    }
    // Whatever else a hostile delivery provokes is still a refusal of its shape, never a partial answer.
    return { ok: false, check: "STRUCTURE", reason: `delivery is malformed: ${(e as Error)?.name ?? "error"}` };
  }
}

async function run(d: CredentialDelivery, issuerSigningKey: Uint8Array, holderSigningKey: Uint8Array,
                   consumerEncryptionKey: KeyObject): Promise<Record<string, string>> {
  checkStructure(d);
  const grant = d.grant;
  checkSignature("ISSUER_SIGNATURE", `issuer signature of credential ${d.credentialId}`, issuerSigningKey,
    credentialTbs(d, d.commitments), d.issuerSignature);
  checkSignature("HOLDER_SIGNATURE", `holder signature of grant ${grant.grantId}`, holderSigningKey, grantTbs({
    grantId: grant.grantId, holderId: d.holderId, consumerId: d.consumerId, credentialId: d.credentialId,
    requestId: grant.requestId, purpose: grant.purpose, issuedAt: grant.issuedAt, notBefore: grant.notBefore,
    expiresAt: grant.expiresAt, maxUses: grant.maxUses, fields: grant.fields, keysEnc: grant.keysEnc,
    keysCiphertext: grant.keysCiphertext,
  }), grant.holderSignature);

  let fieldKeys: Map<string, Uint8Array>;
  try {
    const plaintext = await hpkeOpen(consumerEncryptionKey, GRANT_KEYS_INFO,
      keyPackageAad(grant.grantId, d.credentialId, d.consumerId), { enc: grant.keysEnc, ct: grant.keysCiphertext });
    try {
      fieldKeys = parseKeyPackage(plaintext);
    } finally {
      plaintext.fill(0);
    }
  } catch (e) {
    throw new Failure("KEY_PACKAGE", `key package of grant ${grant.grantId}: ${(e as Error).message}`);
  }
  try {
    const granted = new Set(grant.fields);
    if (fieldKeys.size !== granted.size || [...fieldKeys.keys()].some((name) => !granted.has(name))) {
      throw new Failure("KEY_PACKAGE", `key package of grant ${grant.grantId} holds keys for `
        + `[${[...fieldKeys.keys()].join(", ")}], the grant names [${grant.fields.join(", ")}]`);
    }
    return openDisclosed(d, fieldKeys);
  } finally {
    fieldKeys.forEach((key) => key.fill(0));
  }
}

function checkSignature(check: Check, what: string, publicKey: Uint8Array, message: Uint8Array,
                        signature: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new Failure(check, `${what}: the signing key is not a 32-byte Ed25519 public key`);
  }
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new Failure(check, `${what}: the signature is ${signature instanceof Uint8Array
      ? `${signature.length} bytes` : "missing"}, expected 64`);
  }
  if (!verifyEd25519(publicKey, message, signature)) {
    throw new Failure(check, `${what}: the signature does not verify`);
  }
}

function openDisclosed(d: CredentialDelivery, fieldKeys: Map<string, Uint8Array>): Record<string, string> {
  const commitments = new Map(d.commitments.map((c) => [c.name, c.commitment]));
  const values = new Map<string, string>();
  for (const field of d.disclosed) {
    let opened;
    try {
      opened = decryptField(fieldKeys.get(field.name) as Uint8Array, d.credentialId, field.name, field.ciphertext);
    } catch (e) {
      if (e instanceof FieldError) {
        throw new Failure("FIELD_DECRYPTION", e.message);
      }
      throw e;
    }
    if (!matchesCommitment(d.credentialId, opened, commitments.get(field.name) as Uint8Array)) {
      throw new Failure("COMMITMENT", `field '${field.name}' does not match the commitment the issuer signed`);
    }
    values.set(field.name, opened.value);
  }
  const grant = d.grant;
  if (grant.notBefore > d.deliveredAt || (grant.expiresAt !== 0 && d.deliveredAt >= grant.expiresAt)) {
    throw new Failure("GRANT_WINDOW", `delivered at ${d.deliveredAt}, outside the grant's window [`
      + `${grant.notBefore}, ${grant.expiresAt})`);
  }
  // Own properties only: a field named like Object's own members stays a value, never a prototype.
  return Object.fromEntries(values);
}

function checkStructure(d: CredentialDelivery): void {
  const grant = d.grant;
  if (grant == null || d.commitments == null || d.disclosed == null || grant.fields == null) {
    throw new Failure("STRUCTURE", "delivery lacks its grant, commitments or disclosed fields");
  }
  const signedNames = d.commitments.map((c) => c.name);
  if (!isStrictlySorted(signedNames)) {
    throw new Failure("STRUCTURE", "commitments are not in ascending name order or repeat a name");
  }
  for (const c of d.commitments) {
    if (!(c.commitment instanceof Uint8Array) || c.commitment.length !== COMMITMENT_LENGTH) {
      throw new Failure("STRUCTURE", `commitment of field '${c.name}' is not 32 bytes`);
    }
  }
  if (!isStrictlySorted(grant.fields)) {
    throw new Failure("STRUCTURE", "granted fields are not in ascending name order or repeat a name");
  }
  const signed = new Set(signedNames);
  if (!grant.fields.every((name) => signed.has(name))) {
    throw new Failure("STRUCTURE", "the grant names fields the credential does not have");
  }
  const disclosedNames = d.disclosed.map((f) => f.name);
  if (!isStrictlySorted(disclosedNames)) {
    throw new Failure("STRUCTURE", "disclosed fields are not in ascending name order or repeat a name");
  }
  const granted = new Set(grant.fields);
  if (!disclosedNames.every((name) => granted.has(name))) {
    throw new Failure("STRUCTURE", `a disclosed field is not among the granted fields [${grant.fields.join(", ")}]`);
  }
  if (!Number.isInteger(grant.maxUses) || grant.maxUses < 0 || grant.maxUses > 0xffffffff) {
    throw new Failure("STRUCTURE", "maxUses is out of range");
  }
}
