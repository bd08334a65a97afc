package io.idstream.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.GrantState;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.processors.access.AccessProcessor;
import io.idstream.processors.access.StorageProcessor;
import io.idstream.processors.directory.DirectoryProcessor;
import io.idstream.processors.directory.VerifiedDirectoryLoader;
import io.idstream.schemas.serde.SpecificAvroDeserializer;
import io.idstream.schemas.serde.SpecificAvroSerde;
import io.idstream.schemas.serde.SpecificAvroSerializer;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.TopicCatalog;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The processors as one Kafka Streams topology: one sub-topology of the holder-keyed topics, and a global store.
 * <ul>
 *   <li>Holders' sub-topology. The raw directory, verified by {@link DirectoryProcessor}, and issuance, requests and
 *   decisions, through {@link StorageProcessor} and {@link AccessProcessor}. Every input topic, the raw directory
 *   included, has the same partition count and is keyed by holder or principal id with Kafka's default partitioner
 *   ({@link HolderKeys#partitionOf}), so a holder's registration is in the same partition number as every other record
 *   of hers, and task N holds the directory entries of the ids of partition N in {@link StoreNames#DIRECTORY_STATE}
 *   (logged to its changelog), which the three processors share: a holder's registration is usable by her issuance,
 *   requests and decisions as soon as it verifies, and an instance holds the holders of its own partitions only. The
 *   processors share the holder's credential, write-grant and used-id stores too, and tell issuers on their own
 *   notice topics.</li>
 *   <li>The global directory: the verified entries of every issuer and consumer, which the directory processor writes
 *   to {@code directory.global}, loaded by {@link VerifiedDirectoryLoader#withoutHolders}, which checks each again and
 *   refuses any holder's, as a global store every task reads.</li>
 * </ul>
 * Every verified entry, holders' included, also goes to {@code directory.verified}, which participants read
 * (docs/protocol.md section 10).
 */
public final class IdstreamTopology {
    public static final String DIRECTORY_SOURCE = "directory-source";
    public static final String DIRECTORY_VERIFIER = "directory-verifier";
    public static final String DIRECTORY_GLOBAL_SOURCE = "directory-global-source";
    public static final String DIRECTORY_LOADER = "directory-loader";
    public static final String ISSUED_SOURCE = "credentials-issued-source";
    public static final String REQUESTS_SOURCE = "access-requests-source";
    public static final String DECISIONS_SOURCE = "access-decisions-source";

    private IdstreamTopology() {
    }

    /**
     * @param deliveryTopics the consumers' delivery topics, created as consumers register
     * @param issuerNoticeTopics the issuers' notice topics, created as issuers register
     */
    public static Topology build(ProcessorsConfig config, TopicCatalog catalog, PrincipalTopics deliveryTopics,
                                 PrincipalTopics issuerNoticeTopics) {
        Map<String, Object> serdeConfigs = config.catalogConfigs();
        Topology topology = new Topology();
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        StringSerializer strings = new StringSerializer();

        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.DIRECTORY_GLOBAL),
                        Serdes.String(), serde(VerifiedPrincipal.class, serdeConfigs)).withLoggingDisabled(),
                DIRECTORY_GLOBAL_SOURCE, new StringDeserializer(),
                deserializer(VerifiedPrincipal.class, serdeConfigs), catalog.directoryGlobal().name(),
                DIRECTORY_LOADER, () -> VerifiedDirectoryLoader.withoutHolders(config.operatorKeys()));

        topology.addSource(DIRECTORY_SOURCE, bytes, bytes, catalog.directory().name());
        topology.addProcessor(DIRECTORY_VERIFIER, () -> new DirectoryProcessor(
                deserializer(DirectoryEvent.class, serdeConfigs), config.operatorKeys(), deliveryTopics,
                issuerNoticeTopics, catalog.directory().partitions()),
                DIRECTORY_SOURCE);
        topology.addSink(Sinks.DIRECTORY_VERIFIED, catalog.directoryVerified().name(), strings,
                serializer(VerifiedPrincipal.class, serdeConfigs), DIRECTORY_VERIFIER);
        topology.addSink(Sinks.DIRECTORY_GLOBAL, catalog.directoryGlobal().name(), strings,
                serializer(VerifiedPrincipal.class, serdeConfigs), DIRECTORY_VERIFIER);
        topology.addSink(Sinks.DIRECTORY_REJECTED, catalog.rejected().name(), new ByteArraySerializer(),
                new ByteArraySerializer(), DIRECTORY_VERIFIER);

        topology.addSource(ISSUED_SOURCE, bytes, bytes, catalog.credentialsIssued().name());
        topology.addSource(REQUESTS_SOURCE, bytes, bytes, catalog.accessRequests().name());
        topology.addSource(DECISIONS_SOURCE, bytes, bytes, catalog.accessDecisions().name());
        topology.addProcessor(StorageProcessor.NAME, () -> new StorageProcessor(
                deserializer(IssuanceEvent.class, serdeConfigs), config, issuerNoticeTopics), ISSUED_SOURCE);
        topology.addProcessor(AccessProcessor.NAME, () -> new AccessProcessor(
                deserializer(AccessRequest.class, serdeConfigs), deserializer(DecisionEvent.class, serdeConfigs),
                catalog.accessRequests().name(), config, deliveryTopics, issuerNoticeTopics),
                REQUESTS_SOURCE, DECISIONS_SOURCE, StorageProcessor.NAME);
        // Shared, so the directory's task N is the holders' task N: a holder's entry is read where it is verified.
        topology.addStateStore(store(StoreNames.DIRECTORY_STATE, VerifiedPrincipal.class, serdeConfigs),
                DIRECTORY_VERIFIER, StorageProcessor.NAME, AccessProcessor.NAME);
        topology.addStateStore(store(StoreNames.CREDENTIALS, StoredCredential.class, serdeConfigs),
                StorageProcessor.NAME, AccessProcessor.NAME);
        topology.addStateStore(store(StoreNames.GRANTS, GrantState.class, serdeConfigs),
                AccessProcessor.NAME);
        topology.addStateStore(store(StoreNames.PENDING_REQUESTS, PendingRequest.class, serdeConfigs),
                AccessProcessor.NAME);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                StoreNames.PENDING_BY_CONSUMER), Serdes.String(), Serdes.Long()), AccessProcessor.NAME);
        // The storage processor remembers consent requests' ids and reads write grants too.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                StoreNames.EXPIRY_INDEX), Serdes.Bytes(), Serdes.ByteArray()), AccessProcessor.NAME,
                StorageProcessor.NAME);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                StoreNames.SEEN_IDS), Serdes.String(), Serdes.Long()), AccessProcessor.NAME, StorageProcessor.NAME);
        topology.addStateStore(store(StoreNames.WRITE_GRANTS, WriteGrant.class, serdeConfigs),
                AccessProcessor.NAME, StorageProcessor.NAME);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                StoreNames.ENDED_CREDENTIALS), Serdes.String(), Serdes.Long()), StorageProcessor.NAME,
                AccessProcessor.NAME);

        topology.addSink(Sinks.STORED, catalog.credentialsStored().name(), strings,
                serializer(StoredCredential.class, serdeConfigs), new HolderPartitioner<>(),
                StorageProcessor.NAME, AccessProcessor.NAME);
        topology.addSink(Sinks.DELIVERIES,
                (String key, DeliveryEvent value, RecordContext context) ->
                        catalog.deliveries(consumerIdOf(value)).name(),
                strings, serializer(DeliveryEvent.class, serdeConfigs), AccessProcessor.NAME);
        topology.addSink(Sinks.INBOX, catalog.holderInbox().name(), strings,
                serializer(InboxEvent.class, serdeConfigs), StorageProcessor.NAME, AccessProcessor.NAME);
        topology.addSink(Sinks.ISSUER_NOTICES,
                (String key, IssuerNotice value, RecordContext context) ->
                        catalog.issuerNotices(value.getIssuerId()).name(),
                strings, serializer(IssuerNotice.class, serdeConfigs), StorageProcessor.NAME, AccessProcessor.NAME);
        topology.addSink(Sinks.AUDIT, catalog.audit().name(), strings, serializer(AccessAudit.class, serdeConfigs),
                AccessProcessor.NAME);
        topology.addSink(Sinks.REJECTED, catalog.rejected().name(), new ByteArraySerializer(),
                new ByteArraySerializer(), StorageProcessor.NAME, AccessProcessor.NAME);
        return topology;
    }

    private static String consumerIdOf(DeliveryEvent event) {
        Object inner = event.getEvent();
        if (inner instanceof CredentialDelivery delivery) {
            return delivery.getConsumerId();
        }
        return ((ConsumerNotice) inner).getConsumerId();
    }

    private static <T extends SpecificRecord> StoreBuilder<KeyValueStore<String, T>> store(
            String name, Class<T> type, Map<String, Object> serdeConfigs) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                serde(type, serdeConfigs));
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type, Map<String, Object> configs) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, false);
        return serde;
    }

    private static <T extends SpecificRecord> SpecificAvroSerializer<T> serializer(Class<T> type,
                                                                                 Map<String, Object> configs) {
        SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>(type);
        serializer.configure(configs, false);
        return serializer;
    }

    private static <T extends SpecificRecord> SpecificAvroDeserializer<T> deserializer(Class<T> type,
                                                                                     Map<String, Object> configs) {
        SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>(type);
        deserializer.configure(configs, false);
        return deserializer;
    }

    /** Partitions holder-scoped composite keys by their holder id, as Kafka's default partitioner does plain ones. */
    static final class HolderPartitioner<V> implements StreamPartitioner<String, V> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
            return Optional.of(Set.of(HolderKeys.partitionOf(HolderKeys.holderIdOf(key), numPartitions)));
        }
    }
}
