/**
 * The primitives of docs/protocol.md sections 1 and 2 on Node's crypto: SHA-256, and Ed25519 and X25519 public keys
 * as the 32 raw bytes the wire carries.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { concat } from "./encoding.js";

// The SubjectPublicKeyInfo DER of a 32-byte key, up to the key: SEQUENCE { AlgorithmIdentifier { OID }, BIT STRING }.
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const X25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);

/** `H(x)`: SHA-256. */
export function sha256(input: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(input).digest());
}

/** An Ed25519 public key from its 32 raw bytes. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return publicKey(raw, ED25519_SPKI_PREFIX, "an Ed25519");
}

/** An X25519 public key from its 32 raw bytes. */
export function x25519PublicKey(raw: Uint8Array): KeyObject {
  return publicKey(raw, X25519_SPKI_PREFIX, "an X25519");
}

function publicKey(raw: Uint8Array, prefix: Uint8Array, what: string): KeyObject {
  if (!(raw instanceof Uint8Array) || raw.length !== 32) {
    throw new RangeError(`${what} public key is 32 bytes, not ${raw instanceof Uint8Array ? raw.length : "missing"}`);
  }
  return createPublicKey({ key: Buffer.from(concat(prefix, raw)), format: "der", type: "spki" });
}

/** An Ed25519 private key from its 32 raw bytes (the seed of RFC 8032). */
export function ed25519PrivateKey(raw: Uint8Array): KeyObject {
  return privateKey(raw, 0x70, "an Ed25519");
}

/** An X25519 private key from its 32 raw bytes. */
export function x25519PrivateKey(raw: Uint8Array): KeyObject {
  return privateKey(raw, 0x6e, "an X25519");
}

/** The key as Node's crypto takes it: the PrivateKeyInfo `openssl genpkey` writes around the 32 raw bytes. */
function privateKey(raw: Uint8Array, oidByte: number, what: string): KeyObject {
  if (!(raw instanceof Uint8Array) || raw.length !== 32) {
    throw new RangeError(`${what} private key is 32 bytes`);
  }
  const der = Buffer.from(concat(Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
    oidByte, 0x04, 0x22, 0x04, 0x20]), raw));
  try {
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } finally {
    der.fill(0);
  }
}

/** The 32 raw bytes of an Ed25519 or X25519 key's public half (of a private key: the public key it makes). */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const publicHalf = key.type === "private" ? createPublicKey(key) : key;
  const der = publicHalf.export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** A pure Ed25519 signature (RFC 8032, no pre-hash, no context), 64 bytes. */
export function signEd25519(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey));
}

/**
 * Whether `signature` is a pure Ed25519 signature of `message` under the 32-byte public key. A key or signature of
 * the wrong size does not verify.
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32 || !(signature instanceof Uint8Array)
      || signature.length !== 64) {
    return false;
  }
  try {
    return verify(null, message, ed25519PublicKey(publicKey), signature);
  } catch {
    return false;
  }
}
