/**
 * A consumer's access request (docs/protocol.md section 5): a fresh lowercase UUID, the fields sorted, ids and field
 * names of the shapes of section 1, and the consumer's Ed25519 signature over the request's to-be-signed string.
 */
import { randomUUID } from "node:crypto";
import type { AccessRequest } from "./records.js";
import type { ConsumerIdentity } from "./keys.js";
import { sortedNames } from "./encoding.js";
import { requireFieldName, requirePrincipalId, requireUuid } from "./identifiers.js";
import { signEd25519 } from "./primitives.js";
import { requestTbs } from "./tbs.js";

/** What a consumer asks a holder for: one credential by id, or the holder's newest of a type (not both). */
export interface AccessRequestTerms {
  holderId: string;
  credentialType?: string;
  credentialId?: string;
  fields: readonly string[];
  purpose: string;
}

/** The signed request, ready to send; refuses terms of the wrong shape before anything is signed. */
export function newAccessRequest(identity: ConsumerIdentity, terms: AccessRequestTerms,
                                 now: number = Date.now()): AccessRequest {
  requirePrincipalId("consumer id", identity.id);
  requirePrincipalId("holder id", terms.holderId);
  const credentialType = terms.credentialType ?? "";
  const credentialId = terms.credentialId ?? "";
  if ((credentialType === "") === (credentialId === "")) {
    throw new RangeError("a request names a credential type or a credential id, exactly one of them");
  }
  if (credentialId !== "") {
    requireUuid("credential id", credentialId);
  }
  if (typeof terms.purpose !== "string") {
    throw new RangeError("a request states its purpose");
  }
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new RangeError(`createdAt ${now} is not an epoch time in milliseconds`);
  }
  const fields = sortedNames(terms.fields);
  if (fields.length === 0) {
    throw new RangeError("a request asks for at least one field");
  }
  fields.forEach(requireFieldName);
  const request = {
    requestId: randomUUID(),
    consumerId: identity.id,
    holderId: terms.holderId,
    credentialType,
    credentialId,
    purpose: terms.purpose,
    createdAt: now,
    fields,
  };
  requireUuid("request id", request.requestId);
  return { ...request, signature: signEd25519(identity.signingKey, requestTbs(request)) };
}
