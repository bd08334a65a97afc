package io.idstream.sdk;

import io.idstream.avro.Accreditation;
import io.idstream.avro.AccreditationWithdrawn;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Decisions;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.PrincipalRecords;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The operator keys a consumer or holder pins, and the check that an accreditation or withdrawal is one of theirs
 * (docs/protocol.md section 7): the operator key named in the record must be pinned, and the signature is verified
 * here rather than taken from the verified directory. Immutable.
 */
final class PinnedAccreditations {
    private final List<byte[]> operatorKeys;
    /** Who pins the keys, as a refusal names it. */
    private final String pinnedBy;

    PinnedAccreditations(List<byte[]> operatorKeys, String pinnedBy) {
        this.operatorKeys = List.copyOf(operatorKeys);
        this.pinnedBy = pinnedBy;
    }

    String pinnedBy() {
        return pinnedBy;
    }

    /**
     * Why {@code accreditation} does not vouch, under a pinned operator key, for {@code signingKey} as {@code id}'s
     * in {@code role}; empty when it does. {@code whichKey} names the key in a refusal ("its current signing key").
     * Withdrawals are not considered here.
     */
    Optional<String> problem(String id, String role, byte[] signingKey, String whichKey,
                             Accreditation accreditation) {
        if (accreditation == null) {
            return Optional.of(role + " '" + id + "' is not accredited");
        }
        if (operatorKeys.isEmpty()) {
            return Optional.of("this " + pinnedBy + " pins no operator key (" + ConsumerClient.OPERATOR_KEYS_CONFIG
                    + "), so it trusts no " + role);
        }
        byte[] operatorKey = AvroBytes.of(accreditation.getOperatorKey());
        if (!isPinned(operatorKey)) {
            return Optional.of(role + " '" + id + "' is accredited by operator key "
                    + HexFormat.of().formatHex(operatorKey) + ", which this " + pinnedBy + " does not pin");
        }
        if (!accreditation.getId().equals(id) || !accreditation.getRole().equals(role)
                || !Arrays.equals(AvroBytes.of(accreditation.getSigningKey()), signingKey)) {
            return Optional.of("the accreditation of '" + id + "' does not vouch for its id, the role " + role
                    + " and " + whichKey);
        }
        try {
            Decisions.verifyAccreditation(operatorKey, PrincipalRecords.statement(accreditation),
                    AvroBytes.of(accreditation.getSignature()));
        } catch (CryptoException e) {
            return Optional.of("the accreditation of " + role + " '" + id + "' does not verify: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Whether a withdrawal is signed by a pinned operator key. One that is not proves nothing, and is passed over: a
     * platform can always hide a withdrawal, so showing a forged one could only deny service.
     */
    boolean isPinnedSignature(AccreditationWithdrawn withdrawal) {
        byte[] operatorKey = AvroBytes.of(withdrawal.getOperatorKey());
        if (!isPinned(operatorKey)) {
            return false;
        }
        try {
            Decisions.verifyWithdrawal(operatorKey, PrincipalRecords.statement(withdrawal),
                    AvroBytes.of(withdrawal.getSignature()));
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }

    private boolean isPinned(byte[] operatorKey) {
        return operatorKeys.stream().anyMatch(pinned -> Arrays.equals(pinned, operatorKey));
    }
}
