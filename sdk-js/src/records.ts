/**
 * The records a consumer reads and writes, as docs/protocol.md section 9 names them and
 * schemas/src/main/avro/ types them: field names as in the schema, `bytes` as Uint8Array (a Buffer is one),
 * `long` as number (epoch milliseconds stay below 2^53), enums as their symbol, a nullable record as the record or
 * null. A union of several records is a discriminated object: `{ record: "<RecordName>", ...fields }` (the tag is not
 * `type`, which is a field of `CredentialDelivery`: the credential's type).
 */

export interface Principal {
  id: string;
  role: string;
  signingKey: Uint8Array;
  encryptionKey: Uint8Array;
  displayName: string;
  registeredAt: number;
  signature: Uint8Array;
}

export interface Accreditation {
  id: string;
  role: string;
  signingKey: Uint8Array;
  accreditedAt: number;
  operatorKey: Uint8Array;
  signature: Uint8Array;
}

export interface AccreditationWithdrawn {
  id: string;
  role: string;
  signingKey: Uint8Array;
  withdrawnAt: number;
  operatorKey: Uint8Array;
  signature: Uint8Array;
}

export interface PreviousKey {
  signingKey: Uint8Array;
  registeredAt: number;
  replacedAt: number;
  accreditation: Accreditation | null;
}

/** An entry of the verified directory (section 10). */
export interface VerifiedPrincipal {
  principal: Principal;
  accreditation: Accreditation | null;
  verifiedAt: number;
  withdrawal: AccreditationWithdrawn | null;
  latestAccreditedAt: number;
  previousKeys: PreviousKey[];
}

export interface AccessRequest {
  requestId: string;
  consumerId: string;
  holderId: string;
  credentialType: string;
  credentialId: string;
  purpose: string;
  createdAt: number;
  fields: string[];
  signature: Uint8Array;
}

export interface FieldCommitment {
  name: string;
  commitment: Uint8Array;
}

export interface DisclosedField {
  name: string;
  ciphertext: Uint8Array;
}

export interface GrantTerms {
  grantId: string;
  requestId: string;
  purpose: string;
  issuedAt: number;
  fields: string[];
  notBefore: number;
  expiresAt: number;
  maxUses: number;
  keysEnc: Uint8Array;
  keysCiphertext: Uint8Array;
  holderSignature: Uint8Array;
}

export interface CredentialDelivery {
  requestId: string;
  consumerId: string;
  holderId: string;
  issuerId: string;
  credentialId: string;
  type: string;
  issuedAt: number;
  expiresAt: number;
  commitments: FieldCommitment[];
  disclosed: DisclosedField[];
  issuerSignature: Uint8Array;
  grant: GrantTerms;
  deliveredAt: number;
}

export interface Denial {
  requestId: string;
  holderId: string;
  decidedAt: number;
  signature: Uint8Array;
}

export interface Revocation {
  grantId: string;
  holderId: string;
  revokedAt: number;
  signature: Uint8Array;
}

export interface Erasure {
  credentialId: string;
  holderId: string;
  erasedAt: number;
  signature: Uint8Array;
}

export interface CredentialRevoked {
  credentialId: string;
  holderId: string;
  issuerId: string;
  reason: string;
  revokedAt: number;
  signature: Uint8Array;
}

/** The signed record a notice that ends access carries (section 8). */
export type NoticeStatement =
  | ({ record: "Denial" } & Denial)
  | ({ record: "Revocation" } & Revocation)
  | ({ record: "Erasure" } & Erasure)
  | ({ record: "CredentialRevoked" } & CredentialRevoked);

export type NoticeKind =
  | "UNKNOWN"
  | "PENDING"
  | "DENIED"
  | "REVOKED"
  | "EXPIRED"
  | "ERASED"
  | "CREDENTIAL_REVOKED"
  | "ISSUER_NOT_ACCREDITED"
  | "KEY_CHANGED";

export interface ConsumerNotice {
  kind: NoticeKind;
  consumerId: string;
  holderId: string;
  requestId: string;
  grantId: string;
  credentialId: string;
  reason: string;
  at: number;
  statement: NoticeStatement | null;
}

/** One record of a delivery topic: the `DeliveryEvent` envelope's union. */
export type DeliveryEvent =
  | ({ record: "CredentialDelivery" } & CredentialDelivery)
  | ({ record: "ConsumerNotice" } & ConsumerNotice);
