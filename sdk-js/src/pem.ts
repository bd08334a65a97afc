/**
 * PKCS#8 PEM private keys as docs/protocol.md section 2 keeps them: `-----BEGIN PRIVATE KEY-----` (PrivateKeyInfo of
 * an Ed25519 or X25519 key), or `-----BEGIN ENCRYPTED PRIVATE KEY-----` (PBES2 with PBKDF2-HMAC-SHA256 over the
 * passphrase's UTF-8 and AES-128, -192 or -256-CBC, at most 10,000,000 iterations, the count checked before any is
 * run). Refusals name the key and what is wrong, never a byte of it.
 */
import { createDecipheriv, pbkdf2, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { concat } from "./encoding.js";
import { ed25519PrivateKey, x25519PrivateKey } from "./primitives.js";
import {
  child, DerError, elements, oid, single, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, unsignedInteger,
} from "./der.js";

/** The algorithms of section 2, by the OID a PrivateKeyInfo names. */
export type KeyAlgorithm = "Ed25519" | "X25519";

/** More PBKDF2 iterations than this would stall the reader for minutes: such a file is refused. */
export const MAX_ITERATIONS = 10_000_000;

const ALGORITHM_OIDS: Record<KeyAlgorithm, string> = { Ed25519: "1.3.101.112", X25519: "1.3.101.110" };
const PBES2 = "1.2.840.113549.1.5.13";
const PBKDF2 = "1.2.840.113549.1.5.12";
const HMAC_SHA256 = "1.2.840.113549.2.9";
const AES_CBC: Record<string, { name: string; keyBytes: number }> = {
  "2.16.840.1.101.3.4.1.2": { name: "aes-128-cbc", keyBytes: 16 },
  "2.16.840.1.101.3.4.1.22": { name: "aes-192-cbc", keyBytes: 24 },
  "2.16.840.1.101.3.4.1.42": { name: "aes-256-cbc", keyBytes: 32 },
};
const BEGIN = "-----BEGIN PRIVATE KEY-----";
const END = "-----END PRIVATE KEY-----";
const BEGIN_ENCRYPTED = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
const END_ENCRYPTED = "-----END ENCRYPTED PRIVATE KEY-----";
const derive = promisify(pbkdf2);

/** A key file that cannot be used; the message names the file and what is wrong. */
export class KeyError extends Error {}

/** Whether the PEM holds a passphrase-encrypted key. */
export function isEncryptedPem(pem: string): boolean {
  return pem.includes(BEGIN_ENCRYPTED);
}

/**
 * The private key of the PEM, which must be of `expected`; decrypted with `passphrase` when encrypted (a wrong
 * passphrase is named as such). `what` names the key in refusals.
 */
export async function readPrivateKey(pem: string, expected: KeyAlgorithm, what: string,
                                     passphrase: string | undefined): Promise<KeyObject> {
  const der = isEncryptedPem(pem)
    ? await decrypt(body(pem, BEGIN_ENCRYPTED, END_ENCRYPTED, what), what, passphrase)
    : body(pem, BEGIN, END, what);
  try {
    return expected === "Ed25519" ? ed25519PrivateKey(rawKey(der, expected, what))
      : x25519PrivateKey(rawKey(der, expected, what));
  } finally {
    der.fill(0);
  }
}

function rawKey(der: Uint8Array, expected: KeyAlgorithm, what: string): Uint8Array {
  let algorithm: string;
  let privateKey: Uint8Array;
  try {
    const info = elements(single(der, TAG_SEQUENCE, what).value);
    child(info, 0, TAG_INTEGER, "version");
    algorithm = oid(child(elements(child(info, 1, TAG_SEQUENCE, "algorithm").value), 0, TAG_OID, "algorithm").value);
    privateKey = child(info, 2, TAG_OCTET_STRING, "private key").value;
  } catch (e) {
    throw new KeyError(`${what} is not a PKCS#8 PrivateKeyInfo`);
  }
  if (algorithm !== ALGORITHM_OIDS[expected]) {
    throw new KeyError(`${what} is a key of algorithm ${algorithm}, expected ${ALGORITHM_OIDS[expected]} (${expected})`);
  }
  let key: Uint8Array;
  try {
    key = single(privateKey, TAG_OCTET_STRING, "private key").value;
  } catch {
    throw new KeyError(`${what} has a malformed private key field`);
  }
  if (key.length !== 32) {
    throw new KeyError(`${what} holds a ${key.length}-byte private key, expected 32`);
  }
  return key;
}

/** The PrivateKeyInfo inside an EncryptedPrivateKeyInfo of PBES2 with PBKDF2-HMAC-SHA256 and AES-CBC. */
async function decrypt(der: Uint8Array, what: string, passphrase: string | undefined): Promise<Uint8Array> {
  if (passphrase === undefined) {
    throw new KeyError(`${what} is encrypted and no passphrase was given`);
  }
  const params = pbes2Parameters(der, what);
  if (params.iterations <= 0n || params.iterations > BigInt(MAX_ITERATIONS)) {
    throw new KeyError(`${what} asks for ${params.iterations} PBKDF2 iterations, more than the ${MAX_ITERATIONS} allowed`);
  }
  const key = asBytes(await derive(new TextEncoder().encode(passphrase), params.salt, Number(params.iterations),
    params.cipher.keyBytes, "sha256"));
  let plain: Uint8Array;
  try {
    const decipher = createDecipheriv(params.cipher.name, key, params.iv);
    plain = concat(asBytes(decipher.update(params.encrypted)), asBytes(decipher.final()));
  } catch {
    throw new KeyError(`wrong passphrase for ${what} (or the file is damaged)`);
  } finally {
    key.fill(0);
  }
  try {
    // A wrong passphrase shows as bad padding, or, 1 time in 256, as padding that fits around garbage.
    single(plain, TAG_SEQUENCE, what);
  } catch {
    plain.fill(0);
    throw new KeyError(`wrong passphrase for ${what} (or the file is damaged)`);
  }
  return plain;
}

/** A Buffer's bytes as a plain Uint8Array view (the pinned Node typings do not take one for the other). */
function asBytes(buffer: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

interface Pbes2Parameters {
  salt: Uint8Array;
  iterations: bigint;
  cipher: { name: string; keyBytes: number };
  iv: Uint8Array;
  encrypted: Uint8Array;
}

function pbes2Parameters(der: Uint8Array, what: string): Pbes2Parameters {
  let scheme: string;
  let kdfAlgorithm: string;
  let kdf: ReturnType<typeof elements>;
  let encryption: ReturnType<typeof elements>;
  let encrypted: Uint8Array;
  try {
    const info = elements(single(der, TAG_SEQUENCE, what).value);
    const algorithm = elements(child(info, 0, TAG_SEQUENCE, "encryption algorithm").value);
    scheme = oid(child(algorithm, 0, TAG_OID, "encryption algorithm").value);
    encrypted = child(info, 1, TAG_OCTET_STRING, "encrypted data").value;
    if (scheme !== PBES2) {
      throw new KeyError(`${what} is encrypted with ${scheme}, not PBES2 (${PBES2})`);
    }
    const pbes2 = elements(child(algorithm, 1, TAG_SEQUENCE, "PBES2 parameters").value);
    const keyDerivation = elements(child(pbes2, 0, TAG_SEQUENCE, "key derivation").value);
    kdfAlgorithm = oid(child(keyDerivation, 0, TAG_OID, "key derivation").value);
    kdf = kdfAlgorithm === PBKDF2 ? elements(child(keyDerivation, 1, TAG_SEQUENCE, "PBKDF2 parameters").value) : [];
    encryption = elements(child(pbes2, 1, TAG_SEQUENCE, "encryption scheme").value);
  } catch (e) {
    if (e instanceof KeyError) {
      throw e;
    }
    throw new KeyError(`${what} is not a PKCS#8 EncryptedPrivateKeyInfo`);
  }
  if (kdfAlgorithm !== PBKDF2) {
    throw new KeyError(`${what} derives its key with ${kdfAlgorithm}, not PBKDF2`);
  }
  let salt: Uint8Array;
  let iterations: bigint;
  let prf: string;
  try {
    salt = child(kdf, 0, TAG_OCTET_STRING, "PBKDF2 salt").value;
    iterations = unsignedInteger(child(kdf, 1, TAG_INTEGER, "PBKDF2 iteration count").value, "iteration count");
    // keyLength is optional, then the PRF, whose absence means HMAC-SHA1 (RFC 8018), which is not taken.
    const rest = kdf.slice(2).filter((element) => element.tag !== TAG_INTEGER);
    prf = rest[0] === undefined ? "1.2.840.113549.2.7 (HMAC-SHA1, the default)"
      : oid(child(elements(child(rest, 0, TAG_SEQUENCE, "PBKDF2 PRF").value), 0, TAG_OID, "PBKDF2 PRF").value);
  } catch (e) {
    if (e instanceof DerError) {
      throw new KeyError(`${what} has malformed PBKDF2 parameters`);
    }
    throw e;
  }
  if (prf !== HMAC_SHA256) {
    throw new KeyError(`${what} uses the PBKDF2 PRF ${prf}, not HMAC-SHA256 (${HMAC_SHA256})`);
  }
  let cipherOid: string;
  let iv: Uint8Array;
  try {
    cipherOid = oid(child(encryption, 0, TAG_OID, "encryption scheme").value);
    iv = encryption[1]?.tag === TAG_OCTET_STRING ? encryption[1].value : new Uint8Array(0);
  } catch {
    throw new KeyError(`${what} has a malformed encryption scheme`);
  }
  const cipher = AES_CBC[cipherOid];
  if (cipher === undefined) {
    throw new KeyError(`${what} is encrypted with ${cipherOid}, not AES-CBC`);
  }
  if (iv.length !== 16) {
    throw new KeyError(`${what} has a ${iv.length}-byte AES-CBC IV, expected 16`);
  }
  return { salt, iterations, cipher, iv, encrypted };
}

function body(pem: string, begin: string, end: string, what: string): Uint8Array {
  const from = pem.indexOf(begin);
  const to = pem.indexOf(end);
  if (from < 0 || to < from) {
    throw new KeyError(`${what} is not a PKCS#8 PEM (no '${begin}' block)`);
  }
  const base64 = pem.substring(from + begin.length, to).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new KeyError(`${what} has a PEM body that is not base64`);
  }
  return new Uint8Array(Buffer.from(base64, "base64"));
}
