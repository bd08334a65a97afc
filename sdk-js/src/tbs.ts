/**
 * Every to-be-signed string a consumer builds or checks (docs/protocol.md sections 4 to 7), each in one function
 * that reads like the spec's line, starting with `lp(tag)`. Lists are written in protocol order whatever order they
 * are given in, and a list with a repeated name is refused (section 1).
 */
import type {
  AccessRequest, Accreditation, AccreditationWithdrawn, CredentialRevoked, Denial, Erasure, FieldCommitment, Principal,
  Revocation,
} from "./records.js";
import { compareNames, concat, lp, sortedNames, u32, u64 } from "./encoding.js";
import { sha256 } from "./primitives.js";

/** What a consumer signs in an access request (section 5): the record without its signature. */
export type RequestTerms = Omit<AccessRequest, "signature" | "fields"> & { fields: readonly string[] };

/** What an issuer signs about a credential besides its commitments (section 4). */
export interface CredentialHeader {
  credentialId: string;
  holderId: string;
  issuerId: string;
  type: string;
  issuedAt: number;
  expiresAt: number;
}

/** What a holder signs in a grant (section 6), its sealed key package included. */
export interface GrantStatement {
  grantId: string;
  holderId: string;
  consumerId: string;
  credentialId: string;
  requestId: string;
  purpose: string;
  issuedAt: number;
  notBefore: number;
  expiresAt: number;
  maxUses: number;
  fields: readonly string[];
  keysEnc: Uint8Array;
  keysCiphertext: Uint8Array;
}

function tagged(tag: string, ...parts: Uint8Array[]): Uint8Array {
  return concat(lp(tag), ...parts);
}

function names(fields: readonly string[]): Uint8Array[] {
  const sorted = sortedNames(fields);
  return [u32(sorted.length), ...sorted.map((name) => lp(name))];
}

/** Section 4, tag `idstream/v1/credential`. */
export function credentialTbs(header: CredentialHeader, commitments: readonly FieldCommitment[]): Uint8Array {
  const sorted = [...commitments].sort((a, b) => compareNames(a.name, b.name));
  sortedNames(sorted.map((c) => c.name));
  return tagged("idstream/v1/credential", lp(header.credentialId), lp(header.holderId), lp(header.issuerId),
    lp(header.type), u64(header.issuedAt), u64(header.expiresAt), u32(sorted.length),
    ...sorted.flatMap((c) => [lp(c.name), lp(c.commitment)]));
}

/** Section 5, tag `idstream/v1/request`. */
export function requestTbs(request: RequestTerms): Uint8Array {
  return tagged("idstream/v1/request", lp(request.requestId), lp(request.consumerId), lp(request.holderId),
    lp(request.credentialType), lp(request.credentialId), lp(request.purpose), u64(request.createdAt),
    ...names(request.fields));
}

/** Section 6, tag `idstream/v1/grant`: the terms, then `lp(H(lp(enc) || lp(ct)))` of the key package. */
export function grantTbs(grant: GrantStatement): Uint8Array {
  const keysDigest = sha256(concat(lp(grant.keysEnc), lp(grant.keysCiphertext)));
  return tagged("idstream/v1/grant", lp(grant.grantId), lp(grant.holderId), lp(grant.consumerId),
    lp(grant.credentialId), lp(grant.requestId), lp(grant.purpose), u64(grant.issuedAt), u64(grant.notBefore),
    u64(grant.expiresAt), u32(grant.maxUses), ...names(grant.fields), lp(keysDigest));
}

/** Section 6, a holder's denial, tag `idstream/v1/deny`. */
export function denyTbs(denial: Pick<Denial, "requestId" | "holderId" | "decidedAt">): Uint8Array {
  return tagged("idstream/v1/deny", lp(denial.requestId), lp(denial.holderId), u64(denial.decidedAt));
}

/** Section 6, a holder's revocation of a grant, tag `idstream/v1/revoke`. */
export function revokeTbs(revocation: Pick<Revocation, "grantId" | "holderId" | "revokedAt">): Uint8Array {
  return tagged("idstream/v1/revoke", lp(revocation.grantId), lp(revocation.holderId), u64(revocation.revokedAt));
}

/** Section 6, a holder's erasure of a credential, tag `idstream/v1/erase`. */
export function eraseTbs(erasure: Pick<Erasure, "credentialId" | "holderId" | "erasedAt">): Uint8Array {
  return tagged("idstream/v1/erase", lp(erasure.credentialId), lp(erasure.holderId), u64(erasure.erasedAt));
}

/** Section 6, an issuer's revocation of a credential, tag `idstream/v1/credential-revoke`. */
export function credentialRevokeTbs(
  revoked: Pick<CredentialRevoked, "credentialId" | "issuerId" | "reason" | "revokedAt">): Uint8Array {
  return tagged("idstream/v1/credential-revoke", lp(revoked.credentialId), lp(revoked.issuerId), lp(revoked.reason),
    u64(revoked.revokedAt));
}

/** Section 7, a registration, tag `idstream/v1/principal`. */
export function principalTbs(principal: Omit<Principal, "signature">): Uint8Array {
  return tagged("idstream/v1/principal", lp(principal.id), lp(principal.role), lp(principal.signingKey),
    lp(principal.encryptionKey), lp(principal.displayName), u64(principal.registeredAt));
}

/** Section 7, an accreditation, tag `idstream/v1/accredit` (the record's `operatorKey` is not signed). */
export function accreditTbs(
  accreditation: Pick<Accreditation, "id" | "role" | "signingKey" | "accreditedAt">): Uint8Array {
  return tagged("idstream/v1/accredit", lp(accreditation.id), lp(accreditation.role), lp(accreditation.signingKey),
    u64(accreditation.accreditedAt));
}

/** Section 7, an accreditation's withdrawal, tag `idstream/v1/withdraw`. */
export function withdrawTbs(
  withdrawal: Pick<AccreditationWithdrawn, "id" | "role" | "signingKey" | "withdrawnAt">): Uint8Array {
  return tagged("idstream/v1/withdraw", lp(withdrawal.id), lp(withdrawal.role), lp(withdrawal.signingKey),
    u64(withdrawal.withdrawnAt));
}
