package io.idstream.sdk;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.Grant;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Grants;
import io.idstream.mapping.GrantRecords;

import java.util.List;
import java.util.UUID;

/** The grants a holder signs (docs/protocol.md section 6), made here so that a test can sign one at a given time. */
final class HolderGrants {
    private HolderGrants() {
    }

    /**
     * The holder's signed grant of a credential's fields to the consumer's encryption key, issued {@code now}, its
     * window starting then and lasting the scope's {@code validFor}; the credential key is unwrapped and dropped here.
     */
    static Grant sign(Identity holder, CredentialIssued credential, String consumerId,
                           byte[] consumerEncryptionKey, String requestId, String purpose, List<String> fields,
                           HolderClient.Scope scope, long now) {
        long expiresAt = scope.validFor() == null ? 0L : now + scope.validFor().toMillis();
        try {
            return GrantRecords.grant(holder.signing(), holder.encryption(), credential,
                    new Grants.Terms(UUID.randomUUID().toString(), consumerId, requestId, purpose, now, now,
                            expiresAt, scope.maxUses(), fields), consumerEncryptionKey);
        } catch (CryptoException e) {
            throw new IdstreamException(e.getMessage(), e);
        }
    }
}
