// A verified directory (docs/protocol.md section 10) for the vectors' principals: the issuer kyc-co accredited by
// the vectors' operator key, the holder alice, and the consumer exchange-a.
import { sign } from "node:crypto";
import { accreditTbs, withdrawTbs } from "../dist/index.js";
import { vectors, bytes } from "./vectors.mjs";
import { keys } from "./deliveries.mjs";

export function principal(id, role, signingKey, registeredAt = 1699999999000) {
  return { id, role, signingKey, encryptionKey: new Uint8Array(32).fill(5), displayName: id, registeredAt,
    signature: new Uint8Array(64) };
}

/** An accreditation signed by `operatorPrivate`, naming `operatorKey` (the vectors' operator by default). */
export function accreditation(id, role, signingKey, accreditedAt, operatorPrivate = keys.operatorPrivate,
  operatorKey = keys.operatorSigning) {
  const statement = { id, role, signingKey, accreditedAt };
  return { ...statement, operatorKey, signature: new Uint8Array(sign(null, accreditTbs(statement), operatorPrivate)) };
}

export function withdrawal(id, role, signingKey, withdrawnAt, operatorPrivate = keys.operatorPrivate) {
  const statement = { id, role, signingKey, withdrawnAt };
  return { ...statement, operatorKey: keys.operatorSigning,
    signature: new Uint8Array(sign(null, withdrawTbs(statement), operatorPrivate)) };
}

export function issuerEntry() {
  const a = vectors.accreditation;
  return {
    principal: principal("kyc-co", "issuer", keys.issuerSigning),
    accreditation: { id: a.id, role: a.role, signingKey: keys.issuerSigning, accreditedAt: a.accreditedAt,
      operatorKey: keys.operatorSigning, signature: bytes(a.signature) },
    verifiedAt: 1700000000000, withdrawal: null, latestAccreditedAt: a.accreditedAt, previousKeys: [],
  };
}

export function holderEntry() {
  return { principal: principal("alice", "holder", keys.holderSigning), accreditation: null,
    verifiedAt: 1700000000000, withdrawal: null, latestAccreditedAt: 0, previousKeys: [] };
}

/** A lookup over the entries, by principal id. */
export function lookup(...entries) {
  const byId = new Map(entries.map((e) => [e.principal.id, e]));
  return async (id) => byId.get(id);
}
