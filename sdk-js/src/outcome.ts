import type { NoticeKind } from "./records.js";

/**
 * The checks of docs/protocol.md section 8, in the order they run: the first seven need no more than keys, the rest
 * are the consumer client's own. The names are those of the Java `DeliveryVerification.Check`.
 */
export type Check =
  | "STRUCTURE"
  | "ISSUER_SIGNATURE"
  | "HOLDER_SIGNATURE"
  | "KEY_PACKAGE"
  | "FIELD_DECRYPTION"
  | "COMMITMENT"
  | "GRANT_WINDOW"
  | "ISSUER_ACCREDITATION"
  | "CREDENTIAL_EXPIRED"
  | "UNSOLICITED"
  | "REPEATED"
  | "NOTICE_STATEMENT";

/** Where a record sits: `<topic>/<partition>/<offset>`, as the request ledger and webhook ids write it. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** Every check passed: the disclosed values, by field name, as the issuer signed them. */
export interface Delivered {
  kind: "delivered";
  requestId: string;
  holderId: string;
  issuerId: string;
  credentialId: string;
  grantId: string;
  /** The disclosed fields' values. Never log them. */
  values: Readonly<Record<string, string>>;
}

/** The record failed `check`, and nothing of it may be used. */
export interface Refused {
  kind: "refused";
  requestId: string;
  check: Check;
  /** What was wrong, in words; never a key or a value. */
  reason: string;
}

/** A notice: the processors' word, or (for one that ends access) a signed statement that verified. */
export interface Notice {
  kind: "notice";
  requestId: string;
  notice: NoticeKind;
  holderId: string;
  grantId: string;
  credentialId: string;
  reason: string;
}

export type DeliveryOutcome = Delivered | Refused | Notice;
