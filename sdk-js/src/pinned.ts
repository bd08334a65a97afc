/**
 * The operator keys a consumer pins, and what they vouch for (docs/protocol.md sections 7, 8 and 10): an
 * accreditation or withdrawal counts only when the operator key it names is pinned and its signature verifies here,
 * whatever the verified directory says; an issuer's earlier signing key counts only for a credential issued before
 * the key was replaced, under an accreditation of that very key, in a list of earlier keys as rotations write it.
 * As Java's `PinnedAccreditations` and `EarlierKeys`.
 */
import type { Accreditation, AccreditationWithdrawn, VerifiedPrincipal } from "./records.js";
import { bytesEqual, hex } from "./encoding.js";
import { verifyEd25519 } from "./primitives.js";
import { accreditTbs, withdrawTbs } from "./tbs.js";

/** The client setting that pins operator keys, as a refusal names it. */
export const OPERATOR_KEYS_CONFIG = "idstream.operator.keys";

export class PinnedAccreditations {
  private readonly operatorKeys: readonly Uint8Array[];

  constructor(operatorKeys: readonly Uint8Array[], readonly pinnedBy: string) {
    this.operatorKeys = operatorKeys.map((key) => Uint8Array.from(key));
  }

  /**
   * Why `accreditation` does not vouch, under a pinned operator key, for `signingKey` as `id`'s in `role`; undefined
   * when it does. `whichKey` names the key in a refusal. Withdrawals are not considered here.
   */
  problem(id: string, role: string, signingKey: Uint8Array, whichKey: string,
          accreditation: Accreditation | null): string | undefined {
    if (accreditation == null) {
      return `${role} '${id}' is not accredited`;
    }
    if (this.operatorKeys.length === 0) {
      return `this ${this.pinnedBy} pins no operator key (${OPERATOR_KEYS_CONFIG}), so it trusts no ${role}`;
    }
    if (!this.isPinned(accreditation.operatorKey)) {
      return `${role} '${id}' is accredited by operator key ${hex(accreditation.operatorKey)}, which this `
        + `${this.pinnedBy} does not pin`;
    }
    if (accreditation.id !== id || accreditation.role !== role || !bytesEqual(accreditation.signingKey, signingKey)) {
      return `the accreditation of '${id}' does not vouch for its id, the role ${role} and ${whichKey}`;
    }
    if (!verifyEd25519(accreditation.operatorKey, accreditTbs(accreditation), accreditation.signature)) {
      return `the accreditation of ${role} '${id}' does not verify: operator signature of the accreditation of `
        + `${accreditation.id}: the signature does not verify`;
    }
    return undefined;
  }

  /**
   * Whether a withdrawal is signed by a pinned operator key. One that is not proves nothing, and is passed over: a
   * platform can always hide a withdrawal, so showing a forged one could only deny service.
   */
  isPinnedSignature(withdrawal: AccreditationWithdrawn): boolean {
    return this.isPinned(withdrawal.operatorKey)
      && verifyEd25519(withdrawal.operatorKey, withdrawTbs(withdrawal), withdrawal.signature);
  }

  private isPinned(operatorKey: Uint8Array): boolean {
    return operatorKey instanceof Uint8Array && this.operatorKeys.some((pinned) => bytesEqual(pinned, operatorKey));
  }
}

/**
 * The earlier keys of issuer `issuerId` under which a credential issued at `issuedAt` may verify, newest first; why
 * each other earlier key does not count is added to `notCounted`.
 */
export function earlierKeysForCredential(pinned: PinnedAccreditations, issuerId: string, entry: VerifiedPrincipal,
                                         issuedAt: number, notCounted: string[]): Uint8Array[] {
  const keys: Uint8Array[] = [];
  const notKept = earlierKeysProblem(entry);
  if (notKept !== undefined) {
    notCounted.push(notKept);
    return keys;
  }
  const previous = entry.previousKeys;
  for (let i = previous.length - 1; i >= 0; i--) {
    const earlier = previous[i]!;
    const named = `earlier key ${hex(earlier.signingKey)}`;
    if (issuedAt >= earlier.replacedAt) {
      notCounted.push(`${named} was replaced at ${earlier.replacedAt}, not after the credential's issuedAt ${issuedAt}`);
      continue;
    }
    const problem = pinned.problem(issuerId, "issuer", earlier.signingKey, "that key", earlier.accreditation);
    if (problem !== undefined) {
      notCounted.push(`${named}: ${problem}`);
      continue;
    }
    keys.push(earlier.signingKey);
  }
  return keys;
}

/**
 * Why the entry's earlier keys are not a list that rotations wrote, or undefined when they may be: replacedAt never
 * decreasing, none after the entry's own registration, no key listed twice. Otherwise the whole list is disregarded.
 */
export function earlierKeysProblem(entry: VerifiedPrincipal): string | undefined {
  const problems: string[] = [];
  const registeredAt = entry.principal.registeredAt;
  let before = Number.NEGATIVE_INFINITY;
  const seen = new Set<string>();
  for (const earlier of entry.previousKeys) {
    const key = hex(earlier.signingKey);
    if (seen.has(key)) {
      problems.push(`earlier key ${key} is kept twice`);
    }
    seen.add(key);
    if (earlier.replacedAt > registeredAt) {
      problems.push(`earlier key ${key} was replaced at ${earlier.replacedAt}, after the entry's registration at `
        + `${registeredAt}`);
    }
    if (earlier.replacedAt < before) {
      problems.push(`earlier key ${key} was replaced at ${earlier.replacedAt}, before the key listed ahead of it`);
    }
    before = Math.max(before, earlier.replacedAt);
  }
  return problems.length === 0 ? undefined : `the earlier keys of '${entry.principal.id}' are not as rotations keep `
    + `them, so none counts: ${problems.join("; ")}`;
}

/** A note on the refusal of a signature that no earlier key saved, or "" when there were none to try. */
export function notCountedNote(id: string, notCounted: readonly string[]): string {
  return notCounted.length === 0 ? "" : `; no earlier key of '${id}' counts: ${notCounted.join("; ")}`;
}
