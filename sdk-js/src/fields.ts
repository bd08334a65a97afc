/**
 * One credential field's cryptography (docs/protocol.md section 4) and the grant's key package (section 6): the
 * salted commitment, the field key, AES-256-GCM of `salt || value` bound to the credential and field name, and the
 * package of field keys a holder seals to the consumer. Refusals name fields, never keys or values.
 */
import { createCipheriv, createDecipheriv, hkdfSync, timingSafeEqual } from "node:crypto";
import { compareNames, concat, fromUtf8, lp, utf8 } from "./encoding.js";
import { sha256 } from "./primitives.js";

export const SALT_LENGTH = 16;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const KEY_LENGTH = 32;
export const COMMITMENT_LENGTH = 32;
/** The shortest field ciphertext: nonce, salt, an empty value, tag. */
export const MIN_CIPHERTEXT_LENGTH = NONCE_LENGTH + SALT_LENGTH + TAG_LENGTH;

/** Why a field or key package did not open. */
export class FieldError extends Error {}

/** A field's value and the salt it was committed with, as decrypted. */
export interface OpenedField {
  name: string;
  salt: Uint8Array;
  value: string;
}

/** `H(lp("idstream/v1/commitment") || lp(credentialId) || lp(name) || lp(salt) || lp(value))`. */
export function commitment(credentialId: string, name: string, salt: Uint8Array, value: string): Uint8Array {
  return sha256(concat(lp("idstream/v1/commitment"), lp(credentialId), lp(name), lp(salt), lp(value)));
}

/** `HKDF-SHA256(IKM = K, salt = UTF-8(credentialId), info = lp("idstream/v1/field-key") || lp(name), L = 32)`. */
export function fieldKey(credentialKey: Uint8Array, credentialId: string, name: string): Uint8Array {
  if (credentialKey.length !== KEY_LENGTH) {
    throw new FieldError("a credential key is 32 bytes");
  }
  return new Uint8Array(hkdfSync("sha256", credentialKey, utf8(credentialId),
    concat(lp("idstream/v1/field-key"), lp(name)), KEY_LENGTH));
}

function fieldAad(credentialId: string, name: string): Uint8Array {
  return concat(lp("idstream/v1/field"), lp(credentialId), lp(name));
}

/** `nonce || AES-256-GCM(fieldKey, nonce, salt || value, aad)`, as an issuer makes it. */
export function encryptField(key: Uint8Array, credentialId: string, name: string, salt: Uint8Array, value: string,
                             nonce: Uint8Array): Uint8Array {
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(fieldAad(credentialId, name));
  const sealed = concat(cipher.update(concat(salt, utf8(value))), cipher.final());
  return concat(nonce, sealed, cipher.getAuthTag());
}

/** Decrypts a field; fails when it was altered, moved to another field or credential, or the key is wrong. */
export function decryptField(key: Uint8Array, credentialId: string, name: string,
                             ciphertext: Uint8Array): OpenedField {
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < MIN_CIPHERTEXT_LENGTH) {
    throw new FieldError(`ciphertext of field '${name}' is ${ciphertext instanceof Uint8Array
      ? `${ciphertext.length} bytes` : "missing"}, shorter than the ${MIN_CIPHERTEXT_LENGTH}-byte minimum`);
  }
  if (key.length !== KEY_LENGTH) {
    throw new FieldError("a field key is 32 bytes");
  }
  let plaintext: Uint8Array;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, ciphertext.subarray(0, NONCE_LENGTH),
      { authTagLength: TAG_LENGTH });
    decipher.setAAD(fieldAad(credentialId, name));
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
    plaintext = concat(decipher.update(ciphertext.subarray(NONCE_LENGTH, ciphertext.length - TAG_LENGTH)),
      decipher.final());
  } catch {
    throw new FieldError(`ciphertext of field '${name}' of credential ${credentialId} does not open: wrong key, `
      + "another field's or credential's ciphertext, or altered bytes");
  }
  try {
    return { name, salt: plaintext.slice(0, SALT_LENGTH), value: fromUtf8(plaintext.subarray(SALT_LENGTH)) };
  } catch {
    throw new FieldError(`value of field '${name}' is not valid UTF-8`);
  } finally {
    plaintext.fill(0);
  }
}

/** Whether the opened field matches the issuer's commitment, compared in constant time. */
export function matchesCommitment(credentialId: string, field: OpenedField, signed: Uint8Array): boolean {
  const computed = commitment(credentialId, field.name, field.salt, field.value);
  return signed.length === computed.length && timingSafeEqual(computed, signed);
}

/** The key package's AAD: `lp(grantId) || lp(credentialId) || lp(consumerId)`. */
export function keyPackageAad(grantId: string, credentialId: string, consumerId: string): Uint8Array {
  return concat(lp(grantId), lp(credentialId), lp(consumerId));
}

/**
 * The field keys of `u32(n) || for each field, sorted: lp(name) || fieldKey`, in protocol order; refuses names out
 * of order or repeated, a truncated package and trailing bytes.
 */
export function parseKeyPackage(plaintext: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  const truncated = () => new FieldError("key package is truncated or malformed");
  if (plaintext.length < 4) {
    throw truncated();
  }
  const count = view.getUint32(0);
  let offset = 4;
  // Each entry takes at least 4 + 1 + 32 bytes: a count beyond that is a lie, not a reason to allocate.
  if (count > Math.floor((plaintext.length - offset) / 37)) {
    throw new FieldError(`key package claims ${count} fields in ${plaintext.length} bytes`);
  }
  const keys = new Map<string, Uint8Array>();
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    if (plaintext.length - offset < 4) {
      throw truncated();
    }
    const nameLength = view.getUint32(offset);
    offset += 4;
    if (nameLength < 1 || nameLength > plaintext.length - offset) {
      throw new FieldError("key package has a malformed field name length");
    }
    let name: string;
    try {
      name = fromUtf8(plaintext.subarray(offset, offset + nameLength));
    } catch {
      throw truncated();
    }
    offset += nameLength;
    if (previous !== undefined && compareNames(previous, name) >= 0) {
      throw new FieldError("key package fields are not in ascending name order");
    }
    if (plaintext.length - offset < KEY_LENGTH) {
      throw truncated();
    }
    keys.set(name, plaintext.slice(offset, offset + KEY_LENGTH));
    offset += KEY_LENGTH;
    previous = name;
  }
  if (offset !== plaintext.length) {
    throw new FieldError(`key package has ${plaintext.length - offset} trailing bytes`);
  }
  return keys;
}
