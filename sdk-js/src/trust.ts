/**
 * What a consumer trusts of a delivery event besides the signatures `verifyDelivery` checks (docs/protocol.md
 * section 8): an issuer only if one of the operator keys the consumer pins accredited it, the accreditation's
 * signature checked here rather than taken from the verified directory, and not withdrawn since; a credential, and a
 * grant, only until it expires by the consumer's clock; a notice that ends access only with the holder's or issuer's
 * signed statement about what it names. Keys and roles come from the verified directory. As Java's `ConsumerTrust`.
 */
import type { KeyObject } from "node:crypto";
import type { DeliveryOutcome, Refused } from "./outcome.js";
import type { ConsumerNotice, CredentialDelivery, DeliveryEvent, NoticeKind, VerifiedPrincipal } from "./records.js";
import { verifyEd25519 } from "./primitives.js";
import { credentialRevokeTbs, denyTbs, eraseTbs, revokeTbs } from "./tbs.js";
import { earlierKeysForCredential, notCountedNote, PinnedAccreditations } from "./pinned.js";
import { verifyDelivery } from "./verify.js";

/** Where the client finds a principal's verified entry (section 10); undefined when there is none. */
export type PrincipalLookup = (id: string) => Promise<VerifiedPrincipal | undefined>;

/** The notices that end access, which must carry the signed record that ended it. */
const SIGNED_NOTICES: ReadonlySet<NoticeKind> = new Set<NoticeKind>(["DENIED", "REVOKED", "ERASED",
  "CREDENTIAL_REVOKED"]);

export class ConsumerTrust {
  private readonly pinned: PinnedAccreditations;

  /** `operatorKeys`: the Ed25519 operator keys this consumer pins (32 bytes each); none refuses every delivery. */
  constructor(operatorKeys: readonly Uint8Array[]) {
    this.pinned = new PinnedAccreditations(operatorKeys, "consumer");
  }

  /**
   * One delivery event as this consumer sees it at `now`: a delivery verified with the keys the directory holds,
   * then checked for its issuer's accreditation and its credential's and grant's expiry; a notice passed on, once
   * its signed statement verifies if it ends access. A delivery naming a principal the directory does not hold is
   * refused as STRUCTURE, since there is no key to check it with.
   */
  async judge(event: DeliveryEvent, directory: PrincipalLookup, consumerEncryptionKey: KeyObject,
              now: number): Promise<DeliveryOutcome> {
    // A directory that cannot be read fails the judgement (the event is judged again later); it refuses nothing.
    const lookup: PrincipalLookup = (id) => Promise.resolve().then(() => directory(id)).catch((e: unknown) => {
      throw new DirectoryFailure(e);
    });
    try {
      return await this.judgeEvent(event, lookup, consumerEncryptionKey, now);
    } catch (e) {
      if (e instanceof DirectoryFailure) {
        throw e.cause;
      }
      // An event whose shape provokes an error is refused as such, never half-judged.
      const requestId = typeof event?.requestId === "string" ? event.requestId : "";
      return refused(requestId, "STRUCTURE", `event is malformed: ${(e as Error)?.name ?? "error"}`);
    }
  }

  private async judgeEvent(event: DeliveryEvent, directory: PrincipalLookup, consumerEncryptionKey: KeyObject,
                           now: number): Promise<DeliveryOutcome> {
    if (event.record === "ConsumerNotice") {
      return this.notice(directory, event);
    }
    if (event.record !== "CredentialDelivery") {
      return refused("", "STRUCTURE", "event is neither a CredentialDelivery nor a ConsumerNotice");
    }
    const d: CredentialDelivery = event;
    const issuer = await directory(d.issuerId);
    if (issuer === undefined) {
      return refused(d.requestId, "STRUCTURE", `issuer '${d.issuerId}' is not in the directory`);
    }
    const holder = await directory(d.holderId);
    if (holder === undefined) {
      return refused(d.requestId, "STRUCTURE", `holder '${d.holderId}' is not in the directory`);
    }
    const holderKey = holder.principal.signingKey;
    let outcome = await verified(d, issuer.principal.signingKey, holderKey, consumerEncryptionKey);
    if (outcome.kind === "refused" && outcome.check === "ISSUER_SIGNATURE") {
      outcome = await this.underEarlierKey(d, issuer, holderKey, consumerEncryptionKey, outcome);
    }
    if (outcome.kind !== "delivered") {
      return outcome;
    }
    const unaccredited = this.accreditationProblem(d.issuerId, "issuer", issuer);
    if (unaccredited !== undefined) {
      return refused(d.requestId, "ISSUER_ACCREDITATION", unaccredited);
    }
    if (d.expiresAt !== 0 && now >= d.expiresAt) {
      return refused(d.requestId, "CREDENTIAL_EXPIRED", `credential ${d.credentialId} expired at ${d.expiresAt}, `
        + `before this consumer's clock (${now})`);
    }
    if (d.grant.expiresAt !== 0 && now >= d.grant.expiresAt) {
      return refused(d.requestId, "GRANT_WINDOW", `grant ${d.grant.grantId} expired at ${d.grant.expiresAt}, before `
        + `this consumer's clock (${now})`);
    }
    return outcome;
  }

  /**
   * The delivery verified under an earlier key of its issuer that counts for a credential issued when it was; the
   * refusal under the current key, saying why no earlier key counts, if none verifies.
   */
  private async underEarlierKey(d: CredentialDelivery, issuer: VerifiedPrincipal, holderKey: Uint8Array,
                                consumerEncryptionKey: KeyObject, underCurrentKey: Refused): Promise<DeliveryOutcome> {
    const notCounted: string[] = [];
    for (const earlier of earlierKeysForCredential(this.pinned, d.issuerId, issuer, d.issuedAt, notCounted)) {
      const outcome = await verified(d, earlier, holderKey, consumerEncryptionKey);
      if (outcome.kind !== "refused" || outcome.check !== "ISSUER_SIGNATURE") {
        return outcome;
      }
    }
    return refused(underCurrentKey.requestId, "ISSUER_SIGNATURE",
      underCurrentKey.reason + notCountedNote(d.issuerId, notCounted));
  }

  /**
   * Why the entry does not show an accreditation of `id` in `role` that a pinned operator key signed for the signing
   * key the entry binds to the id, not withdrawn since (section 7); undefined when it does.
   */
  accreditationProblem(id: string, role: string, entry: VerifiedPrincipal): string | undefined {
    const principal = entry.principal;
    if (principal.role !== role) {
      return `'${id}' is registered as ${principal.role}, not ${role}`;
    }
    const accreditation = entry.accreditation;
    const problem = this.pinned.problem(id, role, principal.signingKey, "its current signing key", accreditation);
    if (problem !== undefined || accreditation === null) {
      return problem;
    }
    const withdrawal = entry.withdrawal;
    if (withdrawal != null && withdrawal.withdrawnAt >= accreditation.accreditedAt && withdrawal.id === id
        && this.pinned.isPinnedSignature(withdrawal)) {
      return `the accreditation of ${role} '${id}' was withdrawn at ${withdrawal.withdrawnAt}`;
    }
    return undefined;
  }

  /** A notice as it came, or, for one that ends access without a valid signed statement, its refusal. */
  private async notice(directory: PrincipalLookup, notice: ConsumerNotice): Promise<DeliveryOutcome> {
    if (SIGNED_NOTICES.has(notice.kind)) {
      const problem = await this.statementProblem(directory, notice);
      if (problem !== undefined) {
        return refused(notice.requestId, "NOTICE_STATEMENT", `${notice.kind} notice about ${subject(notice)} ${problem}`);
      }
    }
    return { kind: "notice", requestId: notice.requestId, notice: notice.kind, holderId: notice.holderId,
      grantId: notice.grantId, credentialId: notice.credentialId, reason: notice.reason };
  }

  /** Why the notice's statement does not prove it (section 8), or undefined when it does. */
  private async statementProblem(directory: PrincipalLookup, notice: ConsumerNotice): Promise<string | undefined> {
    const statement = notice.statement;
    if (statement == null) {
      return "carries no signed statement";
    }
    const holderId = notice.holderId;
    if (notice.kind === "DENIED" && statement.record === "Denial") {
      return sameSubject("request", notice.requestId, statement.requestId, holderId, statement.holderId)
        ?? await signedBy(directory, holderId, "holder", `holder signature of the denial of request `
          + statement.requestId, denyTbs(statement), statement.signature);
    }
    if (notice.kind === "REVOKED" && statement.record === "Revocation") {
      return sameSubject("grant", notice.grantId, statement.grantId, holderId, statement.holderId)
        ?? await signedBy(directory, holderId, "holder", `holder signature of the revocation of grant `
          + statement.grantId, revokeTbs(statement), statement.signature);
    }
    if (notice.kind === "ERASED" && statement.record === "Erasure") {
      return sameSubject("credential", notice.credentialId, statement.credentialId, holderId, statement.holderId)
        ?? await signedBy(directory, holderId, "holder", `holder signature of the erasure of credential `
          + statement.credentialId, eraseTbs(statement), statement.signature);
    }
    if (notice.kind === "CREDENTIAL_REVOKED" && statement.record === "CredentialRevoked") {
      const issuerId = statement.issuerId;
      const mismatch = sameSubject("credential", notice.credentialId, statement.credentialId, holderId,
        statement.holderId);
      if (mismatch !== undefined) {
        return mismatch;
      }
      const issuer = await directory(issuerId);
      if (issuer === undefined) {
        return `is signed by issuer '${issuerId}', who is not in the directory`;
      }
      const unaccredited = this.accreditationProblem(issuerId, "issuer", issuer);
      if (unaccredited !== undefined) {
        return `is signed by an issuer this consumer does not trust: ${unaccredited}`;
      }
      return signedBy(directory, issuerId, "issuer", `issuer signature of the revocation of credential `
        + statement.credentialId, credentialRevokeTbs(statement), statement.signature);
    }
    return `carries a ${statement.record} as its statement, which does not end access that way`;
  }
}

/** Carries a directory's own error through the judgement, to be thrown as it was. */
class DirectoryFailure {
  constructor(readonly cause: unknown) {}
}

/** A delivery record verified with the issuer's and holder's signing keys. */
async function verified(d: CredentialDelivery, issuerKey: Uint8Array, holderKey: Uint8Array,
                        consumerEncryptionKey: KeyObject): Promise<DeliveryOutcome> {
  const result = await verifyDelivery(d, issuerKey, holderKey, consumerEncryptionKey);
  if (!result.ok) {
    return refused(d.requestId, result.check, result.reason);
  }
  return { kind: "delivered", requestId: d.requestId, holderId: d.holderId, issuerId: d.issuerId,
    credentialId: d.credentialId, grantId: d.grant.grantId, values: result.values };
}

function refused(requestId: string, check: Refused["check"], reason: string): Refused {
  return { kind: "refused", requestId, check, reason };
}

/** What the notice is about: a request, or else a grant, or else a credential. */
function subject(notice: ConsumerNotice): string {
  if (notice.requestId !== "") {
    return `request ${notice.requestId}`;
  }
  return notice.grantId === "" ? `credential ${notice.credentialId}` : `grant ${notice.grantId}`;
}

/** Whether the statement is about what the notice names, of the same holder. */
function sameSubject(what: string, noticeId: string, statementId: string, noticeHolder: string,
                     statementHolder: string): string | undefined {
  if (noticeId === statementId && noticeHolder === statementHolder) {
    return undefined;
  }
  return `names ${what} '${noticeId}' of '${noticeHolder}', its statement ${what} '${statementId}' of `
    + `'${statementHolder}'`;
}

/** Whether the statement's signature verifies under the signing key the directory binds to `signerId`. */
async function signedBy(directory: PrincipalLookup, signerId: string, role: string, what: string, tbs: Uint8Array,
                        signature: Uint8Array): Promise<string | undefined> {
  const signer = await directory(signerId);
  if (signer === undefined) {
    return `is signed by ${role} '${signerId}', who is not in the directory`;
  }
  if (signer.principal.role !== role) {
    return `is signed by '${signerId}', registered as ${signer.principal.role}, not ${role}`;
  }
  if (!verifyEd25519(signer.principal.signingKey, tbs, signature)) {
    return `carries a statement whose signature does not verify under ${role} '${signerId}''s key: ${what}: the `
      + "signature does not verify";
  }
  return undefined;
}
