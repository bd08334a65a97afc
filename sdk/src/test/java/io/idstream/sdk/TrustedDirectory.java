package io.idstream.sdk;

import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;

import java.util.List;

/** Verified-directory entries (docs/protocol.md section 10) as the processors publish them, made with real keys. */
final class TrustedDirectory {
    private TrustedDirectory() {
    }

    /** The principal registered in {@code role} with {@code key}, not accredited. */
    static VerifiedPrincipal entry(String id, String role, SigningKeyPair key) {
        return new VerifiedPrincipal(PrincipalRecords.registration(key, new PrincipalStatement(id, role,
                key.publicKey(), EncryptionKeyPair.generate().publicKey(), id, 1_000L)), null, 1_000L, null, 0L,
                List.of());
    }

    /** The entry with {@code operator}'s accreditation of its id, role and signing key. */
    static VerifiedPrincipal accredited(VerifiedPrincipal entry, SigningKeyPair operator) {
        return VerifiedPrincipal.newBuilder(entry).setAccreditation(PrincipalRecords.accreditation(operator,
                new AccreditationStatement(entry.getPrincipal().getId(), entry.getPrincipal().getRole(),
                        PrincipalRecords.signingKey(entry.getPrincipal()), 1_500L))).build();
    }
}
