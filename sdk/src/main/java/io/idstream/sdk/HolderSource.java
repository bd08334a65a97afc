package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a {@link HolderClient} reads the holder's state and writes its decisions: the holder gateway
 * ({@link GatewayHolderSource}). A source serves what the platform holds; the client checks it (docs/protocol.md
 * sections 12 and 16), so a source decides nothing about trust.
 */
interface HolderSource extends AutoCloseable {
    /** Writes the holder's self-signed registration and waits until the directory shows it. */
    void register(Principal registration, Duration timeout);

    /** Writes a registration without waiting: one of new keys, signed by the old ones (a key rotation). */
    void sendRegistration(Principal registration);

    /**
     * The requests waiting for the holder, oldest first, as the source serves them: not answered in the trail (which
     * a source that knows this itself need not read) and not expired.
     */
    List<Served> pendingRequests(Supplier<List<AccessAudit>> trail);

    /** A pending request, and where it was read, so that a request not shown can be reported by its place. */
    record Served(PendingRequest request, String topic, int partition, long offset) {
    }

    /** The holder's stored credentials by credential id (erased ones are gone). */
    Map<String, StoredCredential> credentials();

    Optional<StoredCredential> credential(String credentialId);

    /** The holder's audit trail, oldest first. */
    List<AccessAudit> audit();

    /** The holder's grants in force with their signed terms and uses, oldest first; {@code trail} as for the inbox. */
    List<HolderClient.GrantView> grants(Supplier<List<AccessAudit>> trail);

    /** The principal's directory entry as the source serves it, or empty when it has none. */
    Optional<VerifiedPrincipal> principal(String principalId);

    /** Writes one of the holder's signed decisions for the processors. */
    void decide(DecisionEvent decision);

    /** Waits until the holder's vault holds the credential. */
    void awaitCredential(String credentialId, Duration timeout);

    /** Waits until the request has reached the holder's inbox. */
    void awaitPending(String requestId, Duration timeout);

    /** The holder's write grants in force as the source serves them: not yet checked. */
    List<WriteGrant> writeGrants();

    /** The issuers' consent requests waiting for the holder as the source serves them: not yet checked. */
    List<ConsentRequest> consentRequests();

    /** Keeps the holder's sealed key backup on the platform. */
    void storeBackup(byte[] backup);

    /** Everything the platform holds on the holder, as one JSON document: not yet checked. */
    JsonNode export();

    /** Where what the source serves at {@code path} (under the holder's own) is reported as read. */
    String place(String path);

    /** Uses the holder's new keys from now on, once the directory binds them (a key rotation). */
    void useKeys(Identity rotated);

    /** Reports something read past, once. */
    void skip(SkippedRecord record);

    List<SkippedRecord> skippedRecords();

    @Override
    void close();
}
