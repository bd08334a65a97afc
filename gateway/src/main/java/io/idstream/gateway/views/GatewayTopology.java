package io.idstream.gateway.views;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.gateway.GatewayConfig;
import io.idstream.processors.directory.VerifiedDirectoryLoader;
import io.idstream.schemas.serde.SpecificAvroDeserializer;
import io.idstream.schemas.serde.SpecificAvroSerde;
import io.idstream.topics.TopicCatalog;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The gateway as one Kafka Streams topology: the processors' output topics that are keyed and partitioned by holder
 * id (the holder inbox, the stored credentials, the audit trail), the holders' decisions and the gateway's own
 * backups topic, read into one
 * sub-topology whose stores hold each holder's items under {@code <holderId>/<item>}, so that one task owns all of one
 * holder's views and a holder's items are one prefix scan; and the verified directory as a global store, loaded by
 * the processors' own {@link VerifiedDirectoryLoader}, which checks each entry again. The gateway writes to no topic
 * but its stores' changelogs.
 */
public final class GatewayTopology {
    public static final String INBOX_SOURCE = "gateway-inbox-source";
    public static final String CREDENTIALS_SOURCE = "gateway-credentials-source";
    public static final String AUDIT_SOURCE = "gateway-audit-source";
    public static final String DECISIONS_SOURCE = "gateway-decisions-source";
    public static final String BACKUPS_SOURCE = "gateway-backups-source";
    public static final String DIRECTORY_SOURCE = "gateway-directory-source";
    public static final String DIRECTORY_LOADER = "gateway-directory-loader";

    private GatewayTopology() {
    }

    public static Topology build(GatewayConfig config, TopicCatalog catalog, HolderChanges changes) {
        Map<String, Object> serdeConfigs = config.catalogConfigs();
        int partitions = config.partitions();
        Topology topology = new Topology();
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();

        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GatewayStores.DIRECTORY),
                        Serdes.String(), serde(VerifiedPrincipal.class, serdeConfigs)).withLoggingDisabled(),
                DIRECTORY_SOURCE, new StringDeserializer(), deserializer(VerifiedPrincipal.class, serdeConfigs),
                catalog.directoryVerified().name(), DIRECTORY_LOADER,
                () -> new VerifiedDirectoryLoader(config.operatorKeys()));

        topology.addSource(INBOX_SOURCE, bytes, bytes, catalog.holderInbox().name());
        topology.addSource(CREDENTIALS_SOURCE, bytes, bytes, catalog.credentialsStored().name());
        topology.addSource(AUDIT_SOURCE, bytes, bytes, catalog.audit().name());
        topology.addSource(DECISIONS_SOURCE, bytes, bytes, catalog.accessDecisions().name());
        topology.addSource(BACKUPS_SOURCE, bytes, bytes, catalog.holderBackups().name());

        topology.addProcessor(InboxView.NAME, () -> new InboxView(deserializer(InboxEvent.class, serdeConfigs),
                partitions, changes, config.pendingTtlMs()), INBOX_SOURCE);
        topology.addProcessor(CredentialsView.NAME, () -> new CredentialsView(
                deserializer(StoredCredential.class, serdeConfigs), partitions), CREDENTIALS_SOURCE);
        topology.addProcessor(AuditView.NAME, () -> new AuditView(deserializer(AccessAudit.class, serdeConfigs),
                partitions, changes, config.replayWindowMs(), config.pendingTtlMs(), config.punctuateInterval(),
                config.punctuateMaxExpiries()), AUDIT_SOURCE);
        topology.addProcessor(GrantTermsView.NAME, () -> new GrantTermsView(
                deserializer(DecisionEvent.class, serdeConfigs), partitions, changes, config.replayWindowMs(),
                config.pendingTtlMs()), DECISIONS_SOURCE);
        topology.addProcessor(BackupView.NAME, () -> new BackupView(deserializer(HolderBackup.class, serdeConfigs),
                partitions), BACKUPS_SOURCE);

        // Every holder store is connected to every holder view, not only to the views that use it: Kafka Streams
        // puts processors that share no store into separate sub-topologies, whose tasks the assignor may place on
        // different instances, and the owner LocalHolderViews.ownerOf names (the inbox store's task) must hold all
        // of a holder's views.
        String[] holderViews = {InboxView.NAME, CredentialsView.NAME, AuditView.NAME, GrantTermsView.NAME,
                BackupView.NAME};
        topology.addStateStore(store(GatewayStores.INBOX, serde(PendingRequest.class, serdeConfigs)), holderViews);
        topology.addStateStore(store(GatewayStores.ANSWERED, Serdes.Long()), holderViews);
        topology.addStateStore(store(GatewayStores.CREDENTIALS, serde(StoredCredential.class, serdeConfigs)),
                holderViews);
        topology.addStateStore(store(GatewayStores.GRANTS,
                new GrantProgressSerde(serde(Grant.class, serdeConfigs))), holderViews);
        topology.addStateStore(store(GatewayStores.AUDIT, serde(AccessAudit.class, serdeConfigs)), holderViews);
        topology.addStateStore(store(GatewayStores.WRITE_GRANTS,
                new WriteGrantEntrySerde(serde(WriteGrant.class, serdeConfigs))), holderViews);
        topology.addStateStore(store(GatewayStores.CONSENT_REQUESTS, serde(ConsentRequest.class, serdeConfigs)),
                holderViews);
        topology.addStateStore(store(GatewayStores.BACKUPS, serde(HolderBackup.class, serdeConfigs)), holderViews);
        topology.addStateStore(store(GatewayStores.EXPIRY, Serdes.Long()), holderViews);
        return topology;
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type, Map<String, Object> configs) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, false);
        return serde;
    }

    private static <T extends SpecificRecord> SpecificAvroDeserializer<T> deserializer(Class<T> type,
                                                                                     Map<String, Object> configs) {
        SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>(type);
        deserializer.configure(configs, false);
        return deserializer;
    }
}
