package io.idstream.processors.access;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.Grant;
import io.idstream.avro.GrantState;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.processors.RejectReason;
import io.idstream.processors.StoreNames;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static io.idstream.processors.Checks.requireFound;

/**
 * All of one task's holder state, behind the questions the handlers ask of it: the holders' stored credentials,
 * active grants with their uses, parked requests, used ids and write grants. Every store is keyed by {@link HolderKeys}, so that a
 * holder's entries are found by one prefix scan, and one consumer's requests parked for a holder by a narrower one.
 * What time ends is found through the {@link ExpiryIndex}, never by reading whole stores. Removals return what they
 * removed, for the notices they cause. The record at hand is refused when it removes a grant or request the holder
 * does not have, or reuses an id.
 */
final class HolderState {
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, StoredCredential> credentials;
    private final KeyValueStore<String, GrantState> grants;
    private final ParkedRequests parkedRequests;
    private final UsedIds usedIds;
    private final WriteGrantStore writeGrants;
    private final KeyValueStore<String, Long> endedCredentials;
    private final ExpiryIndex expiries;

    HolderState(ProcessorContext<?, ?> context) {
        this.credentials = context.getStateStore(StoreNames.CREDENTIALS);
        this.grants = context.getStateStore(StoreNames.GRANTS);
        this.endedCredentials = context.getStateStore(StoreNames.ENDED_CREDENTIALS);
        this.expiries = new ExpiryIndex(context);
        this.usedIds = new UsedIds(context, expiries);
        this.writeGrants = new WriteGrantStore(context, expiries);
        this.parkedRequests = new ParkedRequests(context, expiries);
    }

    /**
     * Indexes what was stored before the expiry and by-consumer indexes existed, when a task opens with an empty
     * expiry index: without it those grants, requests and ids would never end, and a new grant would not find those
     * requests. Once anything is indexed it reads nothing; until then it reads the grants, parked requests and used
     * ids once per task start.
     */
    void indexEarlierState() {
        if (!expiries.isEmpty()) {
            return;
        }
        try (KeyValueIterator<String, GrantState> all = grants.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.getGrant().getExpiresAt() != 0) {
                    expiries.add(ExpiryIndex.Kind.GRANT, entry.value.getGrant().getExpiresAt(), entry.key);
                }
            });
        }
        parkedRequests.indexAll();
        usedIds.indexAll();
    }

    WriteGrantStore writeGrants() {
        return writeGrants;
    }

    // Credentials

    StoredCredential credential(String holderId, String credentialId) {
        return credentials.get(HolderKeys.of(holderId, credentialId));
    }

    /** Replaces a stored credential (its re-keyed sealed key); returns its key, for the vault topic. */
    String replaceCredential(StoredCredential changed) {
        String credentialKey = HolderKeys.of(changed.getCredential().getHolderId(),
                changed.getCredential().getCredentialId());
        credentials.put(credentialKey, changed);
        return credentialKey;
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

    /**
     * Stores a new grant with no uses spent, with the holder's signing key and the consumer's encryption key bound
     * now, so that a later change of either ends it; returns its key.
     */
    String addGrant(Grant grant, long now, byte[] holderSigningKey, byte[] consumerEncryptionKey) {
        String grantKey = HolderKeys.of(grant.getHolderId(), grant.getGrantId());
        grants.put(grantKey, new GrantState(grant, 0, now, ByteBuffer.wrap(holderSigningKey),
                ByteBuffer.wrap(consumerEncryptionKey)));
        if (grant.getExpiresAt() != 0) {
            expiries.add(ExpiryIndex.Kind.GRANT, grant.getExpiresAt(), grantKey);
        }
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
            deleteGrant(entry.key, spent.getGrant());
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
        deleteGrant(grantKey, state.getGrant());
        return state.getGrant();
    }

    /** The holder's grants whose state passes {@code wanted}, with their keys. */
    List<KeyValue<String, GrantState>> grantsOf(String holderId, Predicate<GrantState> wanted) {
        return scan(grants, holderId, wanted);
    }

    /** Removes a grant found by {@link #grantsOf} or {@link #coveringGrant}. */
    void removeGrant(KeyValue<String, GrantState> entry) {
        deleteGrant(entry.key, entry.value.getGrant());
    }

    List<Grant> removeGrantsOn(String holderId, String credentialId) {
        List<Grant> removed = new ArrayList<>();
        for (KeyValue<String, GrantState> entry : scan(grants, holderId,
                s -> s.getGrant().getCredentialId().equals(credentialId))) {
            deleteGrant(entry.key, entry.value.getGrant());
            removed.add(entry.value.getGrant());
        }
        return removed;
    }

    /** At most {@code limit} of the grants expired at {@code now}, removed, earliest first. */
    List<Grant> removeGrantsExpiredAt(long now, int limit) {
        List<Grant> removed = new ArrayList<>();
        for (ExpiryIndex.Due due : expiries.due(ExpiryIndex.Kind.GRANT, now, limit)) {
            GrantState state = grants.get(due.key());
            if (state == null || state.getGrant().getExpiresAt() != due.at()) {
                // Ended otherwise meanwhile, by a path that left its index entry.
                expiries.remove(ExpiryIndex.Kind.GRANT, due.at(), due.key());
                continue;
            }
            deleteGrant(due.key(), state.getGrant());
            removed.add(state.getGrant());
        }
        return removed;
    }

    private void deleteGrant(String grantKey, Grant grant) {
        grants.delete(grantKey);
        if (grant.getExpiresAt() != 0) {
            expiries.remove(ExpiryIndex.Kind.GRANT, grant.getExpiresAt(), grantKey);
        }
    }

    // Parked requests

    void park(PendingRequest parked) {
        parkedRequests.park(parked);
    }

    boolean hasParkedAtLeast(String holderId, String consumerId, int limit) {
        return parkedRequests.hasAtLeast(holderId, consumerId, limit);
    }

    List<KeyValue<String, PendingRequest>> parkedFor(String holderId, String consumerId) {
        return parkedRequests.of(holderId, consumerId);
    }

    void unpark(String pendingKey) {
        parkedRequests.unpark(pendingKey);
    }

    PendingRequest unpark(String holderId, String requestId) {
        return parkedRequests.unpark(holderId, requestId);
    }

    List<PendingRequest> unparkAllOn(String holderId, String credentialId) {
        return parkedRequests.unparkAllOn(holderId, credentialId);
    }

    List<PendingRequest> unparkExpiredAt(long now, int limit) {
        return parkedRequests.unparkExpiredAt(now, limit);
    }

    // Used ids

    /** Remembers a request's or grant's id for the holder; refuses one already used as a replay. */
    void markUsed(String holderId, String id, long now) {
        usedIds.markUsed(holderId, id, now);
    }

    /** Forgets at most {@code limit} of the ids used before {@code cutoff}; see {@link UsedIds#forgetBefore}. */
    void forgetUsedBefore(long cutoff, int limit) {
        usedIds.forgetBefore(cutoff, limit);
    }

    static <V> List<KeyValue<String, V>> scan(KeyValueStore<String, V> store, String holderId,
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
}
