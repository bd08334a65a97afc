// The vectors' genuine delivery to exchange-a (docs/protocol.md section 8), as the record a consumer reads, and
// the keys that verify it.
import { ed25519PrivateKey, x25519PrivateKey } from "../dist/index.js";
import { vectors, bytes } from "./vectors.mjs";

export const keys = {
  issuerSigning: bytes(vectors.keys.issuerSigningPublic),
  holderSigning: bytes(vectors.keys.holderSigningPublic),
  operatorSigning: bytes(vectors.keys.operatorSigningPublic),
  consumerEncryption: x25519PrivateKey(bytes(vectors.keys.consumerEncryptionPrivate)),
  issuerPrivate: ed25519PrivateKey(bytes(vectors.keys.issuerSigningPrivate)),
  holderPrivate: ed25519PrivateKey(bytes(vectors.keys.holderSigningPrivate)),
  operatorPrivate: ed25519PrivateKey(bytes(vectors.keys.operatorSigningPrivate)),
};

/** A fresh copy of the genuine delivery, free to alter. */
export function genuineDelivery() {
  const c = vectors.credential;
  const g = vectors.grant;
  const d = vectors.delivery;
  return {
    requestId: d.requestId,
    consumerId: g.consumerId,
    holderId: c.holderId,
    issuerId: c.issuerId,
    credentialId: c.credentialId,
    type: c.type,
    issuedAt: c.issuedAt,
    expiresAt: c.expiresAt,
    commitments: c.fields.map((f) => ({ name: f.name, commitment: bytes(f.commitment) })),
    disclosed: d.disclosed.map((f) => ({ name: f.name, ciphertext: bytes(f.ciphertext) })),
    issuerSignature: bytes(c.issuerSignature),
    grant: {
      grantId: g.grantId,
      requestId: g.requestId,
      purpose: g.purpose,
      issuedAt: g.issuedAt,
      fields: [...g.fields],
      notBefore: g.notBefore,
      expiresAt: g.expiresAt,
      maxUses: g.maxUses,
      keysEnc: bytes(g.keysEnc),
      keysCiphertext: bytes(g.keysCiphertext),
      holderSignature: bytes(g.signature),
    },
    deliveredAt: d.deliveredAt,
  };
}
