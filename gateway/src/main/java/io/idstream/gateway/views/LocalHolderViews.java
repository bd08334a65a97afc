package io.idstream.gateway.views;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.topics.HolderKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link HolderViews} read from this instance's own stores. Each read of a holder's items is a prefix scan of
 * {@code <holderId>/} in the store of the holder's partition, so it costs what the holder owns. Over a running
 * {@link KafkaStreams} ({@link #of}), a read of a holder whose partition this instance does not own, or made while
 * the gateway rebalances, throws Kafka's {@link org.apache.kafka.streams.errors.InvalidStateStoreException};
 * {@link #ownerOf} says beforehand which instance to ask.
 */
public final class LocalHolderViews implements HolderViews {
    private static final StringSerializer KEYS = new StringSerializer();

    private final StoreLookup stores;
    private final int partitions;
    private final long pendingTtlMs;
    private final Function<String, Optional<Owner>> owners;
    private final Supplier<List<Owner>> instances;

    /** Finds a store by name: the one of {@code partition}, or, for the global directory, the store itself (-1). */
    @FunctionalInterface
    public interface StoreLookup {
        ReadOnlyKeyValueStore<String, ?> find(String storeName, int partition);
    }

    /**
     * @param stores the stores to read
     * @param partitions the partition count of the holder-keyed topics, which holder ids are hashed over
     * @param owners the instance that owns a holder's partition, or empty while that is not known
     * @param pendingTtlMs how long after it was made a consent request is shown (the processors' pending TTL)
     */
    public LocalHolderViews(StoreLookup stores, int partitions, Function<String, Optional<Owner>> owners,
                            long pendingTtlMs) {
        this(stores, partitions, owners, List::of, pendingTtlMs);
    }

    private LocalHolderViews(StoreLookup stores, int partitions, Function<String, Optional<Owner>> owners,
                             Supplier<List<Owner>> instances, long pendingTtlMs) {
        this.stores = stores;
        this.partitions = partitions;
        this.pendingTtlMs = pendingTtlMs;
        this.owners = owners;
        this.instances = instances;
    }

    /** The views of a running gateway, whose {@code application.server} is {@code self}. */
    public static LocalHolderViews of(KafkaStreams streams, int partitions, HostInfo self, long pendingTtlMs) {
        StoreLookup lookup = (name, partition) -> {
            StoreQueryParameters<ReadOnlyKeyValueStore<String, Object>> query =
                    StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
            return streams.store(partition < 0 ? query : query.withPartition(partition));
        };
        return new LocalHolderViews(lookup, partitions, holderId -> ownerOf(streams, self, holderId),
                () -> streams.metadataForAllStreamsClients().stream()
                        .map(client -> new Owner(client.hostInfo().host(), client.hostInfo().port(),
                                client.hostInfo().equals(self)))
                        .toList(), pendingTtlMs);
    }

    private static Optional<Owner> ownerOf(KafkaStreams streams, HostInfo self, String holderId) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return Optional.empty();
        }
        // The stores are keyed <holderId>/<item> but partitioned by the holder id alone, as the topics they read are.
        StreamPartitioner<String, Void> byHolder = (topic, key, value, count) ->
                Optional.of(Set.of(HolderKeys.partitionOf(key, count)));
        KeyQueryMetadata metadata = streams.queryMetadataForKey(GatewayStores.INBOX, holderId, byHolder);
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            return Optional.empty();
        }
        HostInfo active = metadata.activeHost();
        return Optional.of(new Owner(active.host(), active.port(), active.equals(self)));
    }

    @Override
    public List<PendingRequest> inbox(String holderId, long now) {
        List<PendingRequest> pending = new ArrayList<>();
        this.<PendingRequest>scan(GatewayStores.INBOX, holderId, (cursor, request) -> {
            if (request.getExpiresAt() > now) {
                pending.add(request);
            }
        });
        pending.sort(Comparator.comparingLong(PendingRequest::getReceivedAt)
                .thenComparing(request -> request.getRequest().getRequestId()));
        return pending;
    }

    @Override
    public List<StoredCredential> credentials(String holderId) {
        List<StoredCredential> vault = new ArrayList<>();
        this.<StoredCredential>scan(GatewayStores.CREDENTIALS, holderId, (credentialId, stored) -> vault.add(stored));
        return vault;
    }

    @Override
    public Optional<StoredCredential> credential(String holderId, String credentialId) {
        ReadOnlyKeyValueStore<String, StoredCredential> vault = holderStore(GatewayStores.CREDENTIALS, holderId);
        return Optional.ofNullable(vault.get(HolderKeys.of(holderId, credentialId)));
    }

    @Override
    public List<ActiveGrant> grants(String holderId) {
        List<ActiveGrant> active = new ArrayList<>();
        this.<GrantProgress>scan(GatewayStores.GRANTS, holderId, (grantId, progress) -> {
            // Terms read before the holder's registration reached this instance are verified on read until the
            // next audit entry of the grant verifies them in the store.
            if (progress.active() || progress.granted() && progress.awaitsVerification()
                    && GrantTermsView.TermsCheck.of(principal(holderId), progress.terms())
                    == GrantTermsView.TermsCheck.VERIFIED) {
                active.add(new ActiveGrant(progress.terms(), progress.uses()));
            }
        });
        return active;
    }

    @Override
    public List<WriteGrant> writeGrants(String holderId, long now) {
        List<WriteGrant> inForce = new ArrayList<>();
        this.<WriteGrantEntry>scan(GatewayStores.WRITE_GRANTS, holderId, (writeGrantId, entry) -> {
            // One read before the holder's registration reached this instance is verified on read.
            if (entry.writeGrant().getExpiresAt() > now && (entry.verified() || WriteGrantsHandler.check(
                    principal(holderId), entry.writeGrant()) == GrantTermsView.TermsCheck.VERIFIED)) {
                inForce.add(entry.writeGrant());
            }
        });
        return inForce;
    }

    @Override
    public List<ConsentRequest> consentRequests(String holderId, long now) {
        List<ConsentRequest> pending = new ArrayList<>();
        this.<ConsentRequest>scan(GatewayStores.CONSENT_REQUESTS, holderId, (consentRequestId, request) -> {
            if (request.getCreatedAt() + pendingTtlMs > now) {
                pending.add(request);
            }
        });
        pending.sort(Comparator.comparingLong(ConsentRequest::getCreatedAt)
                .thenComparing(ConsentRequest::getConsentRequestId));
        return pending;
    }

    @Override
    public Optional<HolderBackup> backup(String holderId) {
        ReadOnlyKeyValueStore<String, HolderBackup> backups = holderStore(GatewayStores.BACKUPS, holderId);
        return Optional.ofNullable(backups.get(holderId));
    }

    @Override
    public AuditPage audit(String holderId, long after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (after == Long.MAX_VALUE) {
            return new AuditPage(List.of(), -1);
        }
        ReadOnlyKeyValueStore<String, AccessAudit> trail = holderStore(GatewayStores.AUDIT, holderId);
        long first = Math.max(0, after + 1);
        List<AuditEntry> entries = new ArrayList<>();
        boolean more = false;
        try (KeyValueIterator<String, AccessAudit> range = trail.range(
                HolderKeys.of(holderId, ExpiryIndex.padded(first)),
                HolderKeys.of(holderId, ExpiryIndex.padded(Long.MAX_VALUE)))) {
            while (range.hasNext()) {
                var entry = range.next();
                if (entries.size() == limit) {
                    more = true;
                    break;
                }
                entries.add(new AuditEntry(Long.parseLong(HolderKeys.thingIdOf(entry.key)), entry.value));
            }
        }
        return new AuditPage(entries, more ? entries.get(entries.size() - 1).cursor() : -1);
    }

    @Override
    public Optional<VerifiedPrincipal> principal(String principalId) {
        @SuppressWarnings("unchecked")
        ReadOnlyKeyValueStore<String, VerifiedPrincipal> directory =
                (ReadOnlyKeyValueStore<String, VerifiedPrincipal>) stores.find(GatewayStores.DIRECTORY, -1);
        return Optional.ofNullable(directory.get(principalId));
    }

    @Override
    public Optional<Owner> ownerOf(String holderId) {
        return owners.apply(holderId);
    }

    @Override
    public List<Owner> instances() {
        return instances.get();
    }

    private interface EntryConsumer<V> {
        void accept(String item, V value);
    }

    /** Every item of the holder in the store, in key order. */
    private <V> void scan(String storeName, String holderId, EntryConsumer<V> consumer) {
        ReadOnlyKeyValueStore<String, V> store = holderStore(storeName, holderId);
        try (KeyValueIterator<String, V> items = store.prefixScan(HolderKeys.prefixOf(holderId), KEYS)) {
            while (items.hasNext()) {
                var item = items.next();
                consumer.accept(HolderKeys.thingIdOf(item.key), item.value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <V> ReadOnlyKeyValueStore<String, V> holderStore(String storeName, String holderId) {
        return (ReadOnlyKeyValueStore<String, V>) stores.find(storeName, HolderKeys.partitionOf(holderId, partitions));
    }
}
