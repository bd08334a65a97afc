package io.idstream.gateway.views;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;

import java.util.List;
import java.util.Optional;

/**
 * What the gateway knows of one holder, read from the stores of the instance that owns the holder's partition. Each
 * call costs what that holder owns (a prefix scan of {@code <holderId>/}), never the size of the platform.
 * Implementations answer only for holders whose partition this instance owns; {@link #ownerOf} says which instance
 * that is.
 */
public interface HolderViews {
    /** Requests waiting for the holder's decision and not expired at {@code now}, oldest first. */
    List<PendingRequest> inbox(String holderId, long now);

    /** The holder's stored credentials (ciphertexts and sealed keys, for the holder to open), by credential id. */
    List<StoredCredential> credentials(String holderId);

    Optional<StoredCredential> credential(String holderId, String credentialId);

    /** Grants the processors accepted that have not ended, with the holder's signed terms and uses so far. */
    List<ActiveGrant> grants(String holderId);

    /**
     * The write grants the holder signed that are in force at {@code now}: not revoked, not expired, signed with the
     * key the directory bound to her when each was read; by write grant id.
     */
    List<WriteGrant> writeGrants(String holderId, long now);

    /**
     * Issuers' consent requests the processors forwarded to the holder, not answered by a write grant and made less
     * than the pending TTL before {@code now}; oldest first. The issuer's signature is for the holder to verify.
     */
    List<ConsentRequest> consentRequests(String holderId, long now);

    /** The holder's latest sealed key backup, if she stored one. */
    Optional<HolderBackup> backup(String holderId);

    /** Audit entries after the cursor ({@code -1}: from the first), in the order the processors wrote them. */
    AuditPage audit(String holderId, long after, int limit);

    /** A principal as the verified directory holds it, after the processors' checks are made again. */
    Optional<VerifiedPrincipal> principal(String principalId);

    /** The instance whose stores hold the holder's views, or empty while the gateway is rebalancing. */
    Optional<Owner> ownerOf(String holderId);

    /**
     * The {@code application.server} of every instance of this gateway that the group knows of now, this one
     * included: a request forwarded by one of them arrives with its authority.
     */
    default List<Owner> instances() {
        return List.of();
    }

    /** A grant in force: the holder's signed grant as written to the decisions topic, and its deliveries so far. */
    record ActiveGrant(Grant grant, int uses) {
    }

    /** An audit entry with its cursor: the position of the entry in the audit topic's partition. */
    record AuditEntry(long cursor, AccessAudit entry) {
    }

    /** One page of the audit trail; {@code next} is the cursor to ask after, or -1 when this page is the last. */
    record AuditPage(List<AuditEntry> entries, long next) {
    }

    /** A gateway instance, as its {@code application.server}; {@code local} when it is this instance. */
    record Owner(String host, int port, boolean local) {
    }
}
