/**
 * HPKE (RFC 9180) as docs/protocol.md section 3 fixes it, through @hpke/core: mode_base, single-shot,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM. `info` is raw ASCII; an `enc` of another length than 32
 * bytes is refused.
 */
import { webcrypto, type KeyObject } from "node:crypto";
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";
import { rawPublicKey } from "./primitives.js";

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
const ENC_LENGTH = 32;

/** Why a sealed value did not open; never a key or the plaintext. */
export class HpkeError extends Error {}

/** A sealed value: the 32-byte encapsulated key and the AES-128-GCM ciphertext with its tag. */
export interface Sealed {
  enc: Uint8Array;
  ct: Uint8Array;
}

/** The recipient's X25519 key as WebCrypto keys: @hpke/core takes no Node KeyObject. */
async function recipientKeyPair(recipient: KeyObject): Promise<webcrypto.CryptoKeyPair> {
  const pkcs8 = recipient.export({ format: "der", type: "pkcs8" });
  try {
    const privateKey = await webcrypto.subtle.importKey("pkcs8", pkcs8, { name: "X25519" }, false, ["deriveBits"]);
    const publicKey = await webcrypto.subtle.importKey("raw", rawPublicKey(recipient), { name: "X25519" }, true, []);
    return { privateKey, publicKey } as webcrypto.CryptoKeyPair;
  } finally {
    pkcs8.fill(0);
  }
}

/** Opens a sealed value with the recipient's private key; fails when anything was changed or the key is wrong. */
export async function hpkeOpen(recipient: KeyObject, info: Uint8Array, aad: Uint8Array,
                               sealed: Sealed): Promise<Uint8Array> {
  if (!(sealed.enc instanceof Uint8Array) || sealed.enc.length !== ENC_LENGTH) {
    throw new HpkeError(`HPKE enc is ${sealed.enc instanceof Uint8Array ? sealed.enc.length : "no"} bytes, expected 32`);
  }
  const recipientKey = await recipientKeyPair(recipient);
  try {
    return new Uint8Array(await suite.open({ recipientKey, enc: copy(sealed.enc), info: copy(info) }, copy(sealed.ct),
      copy(aad)));
  } catch {
    throw new HpkeError("HPKE ciphertext does not open: wrong key, info or aad, or altered bytes");
  }
}

/**
 * Seals `plaintext` to the recipient's 32-byte X25519 public key. `ephemeralSeed` fixes the ephemeral key as RFC
 * 9180's test vectors do; for tests only, since a seed used twice gives away both plaintexts' keys.
 */
export async function hpkeSeal(recipientPublicKey: Uint8Array, info: Uint8Array, aad: Uint8Array,
                               plaintext: Uint8Array, ephemeralSeed?: Uint8Array): Promise<Sealed> {
  const recipient = await suite.kem.deserializePublicKey(copy(recipientPublicKey));
  const sealed = await suite.seal({ recipientPublicKey: recipient, info: copy(info),
    ...(ephemeralSeed === undefined ? {} : { ekm: copy(ephemeralSeed) }) }, copy(plaintext), copy(aad));
  return { enc: new Uint8Array(sealed.enc), ct: new Uint8Array(sealed.ct) };
}

/** The bytes in an ArrayBuffer of their own, as @hpke/core reads the whole buffer behind a view. */
function copy(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}
