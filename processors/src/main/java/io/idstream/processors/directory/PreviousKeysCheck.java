package io.idstream.processors.directory;

import io.idstream.avro.Accreditation;
import io.idstream.avro.PreviousKey;
import io.idstream.avro.Principal;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Decisions;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.PrincipalRecords;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Predicate;

/**
 * The loader's check of an entry's previous signing keys (docs/protocol.md section 10), which a writer of the verified
 * directory could otherwise fill with keys and accreditations no rotation left: an accreditation withdrawn before
 * its key was replaced, a key said to be replaced only at the end of time, keys nobody had that push the genuine ones
 * out. An entry of the signing key loaded keeps exactly the previous keys loaded; a rotation's entry keeps them with
 * exactly the replaced key added, as the directory processor adds it (the loaded key, when it was registered and
 * replaced, and its accreditation in force), only the oldest dropped beyond {@value DirectoryProcessor#MAX_PREVIOUS_KEYS}.
 * Whatever was loaded before, each key was replaced no earlier than the one before it, no earlier than it was
 * registered and no later than the entry's registration, and each accreditation kept is signed by a trusted operator
 * key for the id, its role and that key.
 */
final class PreviousKeysCheck {
    private final Predicate<ByteBuffer> trustedOperatorKey;

    PreviousKeysCheck(Predicate<ByteBuffer> trustedOperatorKey) {
        this.trustedOperatorKey = trustedOperatorKey;
    }

    /** What is wrong with the entry's previous signing keys, in words, or null. */
    String problem(String id, Principal principal, List<PreviousKey> previousKeys, VerifiedPrincipal loaded) {
        if (previousKeys.size() > DirectoryProcessor.MAX_PREVIOUS_KEYS) {
            return "it keeps more than " + DirectoryProcessor.MAX_PREVIOUS_KEYS + " previous keys";
        }
        if (loaded != null && !previousKeys.equals(DirectoryProcessor.previousKeys(loaded, principal))) {
            return AvroBytes.equal(loaded.getPrincipal().getSigningKey(), principal.getSigningKey())
                    ? "its previous signing keys are not those of the entry in force"
                    : "its previous signing keys are not those of the entry in force with the replaced key added";
        }
        String orderProblem = orderProblem(principal, previousKeys);
        if (orderProblem != null) {
            return orderProblem;
        }
        for (PreviousKey previous : previousKeys) {
            String accreditationProblem = accreditationProblem(id, principal.getRole(), previous);
            if (accreditationProblem != null) {
                return accreditationProblem;
            }
        }
        return null;
    }

    /**
     * A key may appear twice, or be the one bound now: nothing keeps an id from rotating back to a key it had
     * (docs/protocol.md section 7), and each rotation adds the key it replaces.
     */
    private static String orderProblem(Principal principal, List<PreviousKey> previousKeys) {
        long replacedBefore = Long.MIN_VALUE;
        for (PreviousKey previous : previousKeys) {
            if (previous.getReplacedAt() < replacedBefore || previous.getReplacedAt() < previous.getRegisteredAt()
                    || previous.getReplacedAt() > principal.getRegisteredAt()) {
                return "a previous signing key is replaced before the one before it, before it was registered or "
                        + "after the entry's registration";
            }
            replacedBefore = previous.getReplacedAt();
        }
        return null;
    }

    private String accreditationProblem(String id, String role, PreviousKey previous) {
        Accreditation accreditation = previous.getAccreditation();
        if (accreditation == null) {
            return null;
        }
        if (!trustedOperatorKey.test(accreditation.getOperatorKey())) {
            return "the accreditation of a previous key is signed by an operator key the processors do not trust";
        }
        try {
            Decisions.verifyAccreditation(AvroBytes.of(accreditation.getOperatorKey()),
                    PrincipalRecords.statement(accreditation), AvroBytes.of(accreditation.getSignature()));
        } catch (RuntimeException e) {
            return "the accreditation of a previous key does not verify";
        }
        if (!accreditation.getId().equals(id) || !accreditation.getRole().equals(role)
                || !AvroBytes.equal(accreditation.getSigningKey(), previous.getSigningKey())) {
            return "the accreditation of a previous key is for another id, role or signing key";
        }
        return null;
    }
}
