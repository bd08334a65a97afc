package io.idstream.processors.access;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.StoreNames;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static io.idstream.processors.Checks.requireFound;

/**
 * All of one task's holder state, behind the questions the handlers ask of it: the holders' stored credentials,
 * active grants with their uses, parked requests and used ids. Every store is keyed by {@link HolderKeys}, so that a
 * holder's entries are found by one prefix scan. Removals return what they removed, for the notices they cause. The
 * record at hand is refused when it removes a grant or request the holder does not have, or reuses an id.
 */
final class HolderState {
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, StoredCredential> credentials;
    private final KeyValueStore<String, GrantState> grants;
    private final KeyValueStore<String, PendingRequest> pending;
    private final KeyValueStore<String, Long> seenIds;
    private final KeyValueStore<String, Long> endedCredentials;

    HolderState(ProcessorContext<?, ?> context) {
        this.credentials = context.getStateStore(StoreNames.CREDENTIALS);
        this.grants = context.getStateStore(StoreNames.GRANTS);
        this.pending = context.getStateStore(StoreNames.PENDING_REQUESTS);
        this.seenIds = context.getStateStore(StoreNames.SEEN_IDS);
        this.endedCredentials = context.getStateStore(StoreNames.ENDED_CREDENTIALS);
    }

    // Credentials

    StoredCredential credential(String holderId, String credentialId) {
        return credentials.get(HolderKeys.of(holderId, credentialId));
    }

    /** The holder's newest usable credential of the type whose issuer passes {@code trustedIssuer}, or null. */
    StoredCredential newestUsable(String holderId, String type, long now, Predicate<String> trustedIssuer) {
        StoredCredential newest = null;
        try (KeyValueIterator<String, StoredCredential> all = credentials.prefixScan(HolderKeys.prefixOf(holderId),
                KEYS)) {
            while (all.hasNext()) {
                StoredCredential candidate = all.next().value;
                CredentialIssued issued = candidate.getCredential();
                if (issued.getType().equals(type) && isUsable(candidate, now)
                        && trustedIssuer.test(issued.getIssuerId())
                        && (newest == null || issued.getIssuedAt() > newest.getCredential().getIssuedAt())) {
                    newest = candidate;
                }
            }
        }
        return newest;
    }

    /**
     * Deletes the holder's credential and remembers its id as ended, so that it is never stored again; returns its
     * key, for the vault topic's tombstone.
     */
    String deleteCredential(String holderId, String credentialId, long now) {
        String credentialKey = HolderKeys.of(holderId, credentialId);
        credentials.delete(credentialKey);
        endedCredentials.put(credentialKey, now);
        return credentialKey;
    }

    static boolean isUsable(StoredCredential credential, long now) {
        long expiresAt = credential.getCredential().getExpiresAt();
        return credential.getStatus() == CredentialStatus.ACTIVE && (expiresAt == 0 || now < expiresAt);
    }

    // Grants

    /** Stores a new grant with no uses spent; returns its key. */
    String addGrant(Grant grant, long now) {
        String grantKey = HolderKeys.of(grant.getHolderId(), grant.getGrantId());
        grants.put(grantKey, new GrantState(grant, 0, now));
        return grantKey;
    }

    GrantState grant(String grantKey) {
        return grants.get(grantKey);
    }

    /** The first of the holder's grants that covers the consumer's fields of the credential, for the purpose, now. */
    Optional<KeyValue<String, GrantState>> coveringGrant(String holderId, String consumerId, String credentialId,
                                                         String purpose, List<String> fields, long now) {
        try (KeyValueIterator<String, GrantState> all = grants.prefixScan(HolderKeys.prefixOf(holderId), KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, GrantState> entry = all.next();
                if (covers(entry.value, consumerId, credentialId, purpose, fields, now)) {
                    return Optional.of(entry);
                }
            }
        }
        return Optional.empty();
    }

    /** A grant covers only requests for the purpose it was granted for (docs/protocol.md section 11). */
    static boolean covers(GrantState state, String consumerId, String credentialId, String purpose,
                          List<String> fields, long now) {
        Grant grant = state.getGrant();
        return grant.getConsumerId().equals(consumerId)
                && grant.getCredentialId().equals(credentialId)
                && grant.getPurpose().equals(purpose)
                && new HashSet<>(grant.getFields()).containsAll(fields)
                && grant.getNotBefore() <= now
                && (grant.getExpiresAt() == 0 || now < grant.getExpiresAt())
                && (grant.getMaxUses() == 0 || state.getUsesSpent() < grant.getMaxUses());
    }

    /** Spends one use of the grant; returns true when that was its last, and the grant is gone. */
    boolean spendUse(KeyValue<String, GrantState> entry) {
        GrantState spent = GrantState.newBuilder(entry.value).setUsesSpent(entry.value.getUsesSpent() + 1).build();
        int maxUses = spent.getGrant().getMaxUses();
        if (maxUses != 0 && spent.getUsesSpent() >= maxUses) {
            grants.delete(entry.key);
            return true;
        }
        grants.put(entry.key, spent);
        return false;
    }

    /** Removes the holder's active grant; refuses a revocation of a grant the holder does not have. */
    Grant removeGrant(String holderId, String grantId) {
        String grantKey = HolderKeys.of(holderId, grantId);
        GrantState state = requireFound(grants.get(grantKey), RejectReason.UNKNOWN_GRANT, "grant " + grantId
                + " is not active for holder '" + holderId + "'");
        grants.delete(grantKey);
        return state.getGrant();
    }

    List<Grant> removeGrantsOn(String holderId, String credentialId) {
        return removeAll(grants, scan(grants, holderId, s -> s.getGrant().getCredentialId().equals(credentialId)))
                .stream().map(GrantState::getGrant).toList();
    }

    List<Grant> removeGrantsExpiredAt(long now) {
        return removeAll(grants, all(grants, s -> s.getGrant().getExpiresAt() != 0
                && now >= s.getGrant().getExpiresAt())).stream().map(GrantState::getGrant).toList();
    }

    // Parked requests

    void park(PendingRequest parked) {
        pending.put(HolderKeys.of(parked.getRequest().getHolderId(), parked.getRequest().getRequestId()), parked);
    }

    /** Every request parked for the holder, with its key. */
    List<KeyValue<String, PendingRequest>> parkedFor(String holderId) {
        return scan(pending, holderId, p -> true);
    }

    void unpark(String pendingKey) {
        pending.delete(pendingKey);
    }

    /** Removes the holder's parked request; refuses a denial of a request that is not pending. */
    PendingRequest unpark(String holderId, String requestId) {
        String pendingKey = HolderKeys.of(holderId, requestId);
        PendingRequest parked = requireFound(pending.get(pendingKey), RejectReason.UNKNOWN_REQUEST, "request "
                + requestId + " is not pending for holder '" + holderId + "'");
        pending.delete(pendingKey);
        return parked;
    }

    List<PendingRequest> unparkAllOn(String holderId, String credentialId) {
        return removeAll(pending, scan(pending, holderId, p -> p.getCredentialId().equals(credentialId)));
    }

    List<PendingRequest> unparkExpiredAt(long now) {
        return removeAll(pending, all(pending, p -> now >= p.getExpiresAt()));
    }

    // Used ids

    /** Remembers a request's or grant's id for the holder; refuses one already used as a replay. */
    void markUsed(String holderId, String id, long now) {
        String seenKey = HolderKeys.of(holderId, id);
        if (seenIds.get(seenKey) != null) {
            throw new Rejection(RejectReason.REPLAY, id + " was already used");
        }
        seenIds.put(seenKey, now);
    }

    /** Forgets the ids used before {@code cutoff}: older records are refused as stale anyway. */
    void forgetUsedBefore(long cutoff) {
        removeAll(seenIds, all(seenIds, usedAt -> usedAt < cutoff));
    }

    private static <V> List<KeyValue<String, V>> scan(KeyValueStore<String, V> store, String holderId,
                                                     Predicate<V> wanted) {
        List<KeyValue<String, V>> found = new ArrayList<>();
        try (KeyValueIterator<String, V> entries = store.prefixScan(HolderKeys.prefixOf(holderId), KEYS)) {
            entries.forEachRemaining(entry -> {
                if (wanted.test(entry.value)) {
                    found.add(entry);
                }
            });
        }
        return found;
    }

    private static <V> List<KeyValue<String, V>> all(KeyValueStore<String, V> store, Predicate<V> wanted) {
        List<KeyValue<String, V>> found = new ArrayList<>();
        try (KeyValueIterator<String, V> entries = store.all()) {
            entries.forEachRemaining(entry -> {
                if (wanted.test(entry.value)) {
                    found.add(entry);
                }
            });
        }
        return found;
    }

    private static <V> List<V> removeAll(KeyValueStore<String, V> store, List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> store.delete(entry.key));
        return entries.stream().map(entry -> entry.value).toList();
    }
}
