package io.idstream.sdk;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.Grant;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Grants;
import io.idstream.mapping.GrantRecords;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The grants a holder signs (docs/protocol.md section 6), made here so that a test can sign one at a given time, and
 * which of them her audit trail shows in force.
 */
final class HolderGrants {
    private static final Set<AuditOutcome> GRANT_ENDED = EnumSet.of(AuditOutcome.REVOKED, AuditOutcome.EXPIRED,
            AuditOutcome.ERASED, AuditOutcome.CREDENTIAL_REVOKED, AuditOutcome.KEY_CHANGED);

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

    /** The grants the trail shows granted and not ended since (revoked, expired, erased, ...), by grant id. */
    static Map<String, AccessAudit> active(List<AccessAudit> trail) {
        Map<String, AccessAudit> active = new LinkedHashMap<>();
        for (AccessAudit entry : trail) {
            if (entry.getOutcome() == AuditOutcome.GRANTED) {
                active.put(entry.getGrantId(), entry);
            } else if (GRANT_ENDED.contains(entry.getOutcome())) {
                active.remove(entry.getGrantId());
            }
        }
        return active;
    }
}
