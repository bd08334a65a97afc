package io.idstream.sdk;

import io.idstream.avro.Principal;
import io.idstream.avro.PreviousKey;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Decisions;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.PrincipalRecords;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The signing keys a principal was bound to before a rotation ({@code VerifiedPrincipal.previousKeys},
 * docs/protocol.md section 10), and what each still counts for. An earlier key of an issuer verifies a credential
 * issued before the key was replaced, and only under an accreditation of that very key that a pinned operator key
 * signed (the issuer must also be accredited now, which the caller checks as for any credential). The earlier key
 * that signed a rotation's registration binds the registration's new keys, again only under such an accreditation: a
 * platform can write any previous key into an entry, but not an operator's signature over it.
 */
final class EarlierKeys {
    private EarlierKeys() {
    }

    /**
     * The earlier keys of issuer {@code issuerId} under which a credential issued at {@code issuedAt} may verify,
     * newest first; why each other earlier key does not count is added to {@code notCounted}.
     */
    static List<byte[]> forCredential(PinnedAccreditations pinned, String issuerId, VerifiedPrincipal entry,
                                      long issuedAt, List<String> notCounted) {
        List<byte[]> keys = new ArrayList<>();
        Optional<String> notKept = listProblem(entry);
        if (notKept.isPresent()) {
            notCounted.add(notKept.get());
            return keys;
        }
        List<PreviousKey> previous = entry.getPreviousKeys();
        for (int i = previous.size() - 1; i >= 0; i--) {
            PreviousKey earlier = previous.get(i);
            byte[] key = AvroBytes.of(earlier.getSigningKey());
            String named = "earlier key " + HexFormat.of().formatHex(key);
            if (issuedAt >= earlier.getReplacedAt()) {
                notCounted.add(named + " was replaced at " + earlier.getReplacedAt() + ", not after the credential's "
                        + "issuedAt " + issuedAt);
                continue;
            }
            Optional<String> problem = pinned.problem(issuerId, "issuer", key, "that key",
                    earlier.getAccreditation());
            if (problem.isPresent()) {
                notCounted.add(named + ": " + problem.get());
                continue;
            }
            keys.add(key);
        }
        return keys;
    }

    /**
     * Why the entry's earlier keys are not a list that rotations wrote, or empty when they may be: each rotation
     * appends the key it replaced, so the keys are replaced in the order listed (replacedAt never decreasing), none
     * after the entry's own registration, and no key is listed twice. A platform could otherwise keep an old key again
     * as replaced later (or never), and a credential its thief signs after the rotation would verify; the whole list
     * is then disregarded, leaving the current key alone.
     */
    static Optional<String> listProblem(VerifiedPrincipal entry) {
        List<String> problems = new ArrayList<>();
        long registeredAt = entry.getPrincipal().getRegisteredAt();
        long before = Long.MIN_VALUE;
        Set<String> seen = new HashSet<>();
        for (PreviousKey earlier : entry.getPreviousKeys()) {
            String key = HexFormat.of().formatHex(AvroBytes.of(earlier.getSigningKey()));
            long replacedAt = earlier.getReplacedAt();
            if (!seen.add(key)) {
                problems.add("earlier key " + key + " is kept twice");
            }
            if (replacedAt > registeredAt) {
                problems.add("earlier key " + key + " was replaced at " + replacedAt + ", after the entry's "
                        + "registration at " + registeredAt);
            }
            if (replacedAt < before) {
                problems.add("earlier key " + key + " was replaced at " + replacedAt + ", before the key listed "
                        + "ahead of it");
            }
            before = Math.max(before, replacedAt);
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of("the earlier keys of '"
                + entry.getPrincipal().getId() + "' are not as rotations keep them, so none counts: "
                + String.join("; ", problems));
    }

    /** A note on the refusal of a signature that no earlier key saved, or "" when there were none to try. */
    static String notCountedNote(String id, List<String> notCounted) {
        return notCounted.isEmpty() ? "" : "; no earlier key of '" + id + "' counts: " + String.join("; ", notCounted);
    }

    /**
     * Why the entry's registration does not bind its keys to its id: it verifies neither under the signing key it
     * registers, nor, for a rotation, under the key it replaced (the newest earlier key, replaced at the
     * registration's registeredAt) accredited in {@code role} under a pinned operator key; empty when it does.
     */
    static Optional<String> registrationProblem(PinnedAccreditations pinned, VerifiedPrincipal entry, String role) {
        Principal principal = entry.getPrincipal();
        byte[] signature = AvroBytes.of(principal.getSignature());
        if (verifies(PrincipalRecords.signingKey(principal), principal, signature)) {
            return Optional.empty();
        }
        List<PreviousKey> previous = entry.getPreviousKeys();
        String ownSignature = "the registration of '" + principal.getId() + "' does not carry its own valid signature";
        if (previous.isEmpty()) {
            return Optional.of(ownSignature);
        }
        Optional<String> notKept = listProblem(entry);
        if (notKept.isPresent()) {
            return Optional.of(ownSignature + ", and " + notKept.get());
        }
        PreviousKey replaced = previous.get(previous.size() - 1);
        byte[] key = AvroBytes.of(replaced.getSigningKey());
        if (replaced.getReplacedAt() != principal.getRegisteredAt() || !verifies(key, principal, signature)) {
            return Optional.of(ownSignature + ", nor that of the key it replaced");
        }
        return pinned.problem(principal.getId(), role, key, "the key it replaced", replaced.getAccreditation())
                .map(problem -> "the registration of '" + principal.getId() + "' is signed by the key it replaced, "
                        + "which nothing this " + pinned.pinnedBy() + " trusts vouches for: " + problem);
    }

    private static boolean verifies(byte[] key, Principal principal, byte[] signature) {
        try {
            Decisions.verifyPrincipal(key, PrincipalRecords.statement(principal), signature);
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }
}
