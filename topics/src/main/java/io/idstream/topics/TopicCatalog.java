package io.idstream.topics;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.schemas.serde.SpecificAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every topic of one idstream deployment, typed (docs/architecture.md "Topics"). Processors, SDKs and tests take topic names
 * and serdes from here and never spell a topic name themselves. Holder-keyed topics share one partition count, so
 * that a holder's records on every topic land in the same partition number.
 *
 * <p>The configs given to {@link #create} also configure the Avro serdes ({@code schema.registry.url} and the other
 * keys of {@link io.idstream.schemas.serde.AvroSerdeConfig}); without them the catalogue still names and provisions
 * topics, and asking for a serde fails with a message naming the missing key.
 */
public final class TopicCatalog {
    /** The compacted topic in which the embedded Schema Registry keeps its schemas, as Confluent's registry does. */
    public static final String SCHEMAS_TOPIC = "_schemas";

    static final Duration ISSUED_RETENTION = Duration.ofDays(7);
    static final Duration REQUESTS_RETENTION = Duration.ofDays(7);
    static final Duration DECISIONS_RETENTION = Duration.ofDays(365);
    static final Duration INBOX_RETENTION = Duration.ofDays(30);
    static final Duration DELIVERIES_RETENTION = Duration.ofDays(7);
    /** Five years: the usual record-keeping period for KYC evidence. */
    static final Duration AUDIT_RETENTION = Duration.ofDays(5 * 365 + 1);
    static final Duration REJECTED_RETENTION = Duration.ofDays(30);

    private static final Pattern PRINCIPAL_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    private final TopicCatalogConfig config;
    private final Map<String, Object> serdeConfigs;
    private final Topic<String, DirectoryEvent> directory;
    private final Topic<String, VerifiedPrincipal> directoryVerified;
    private final Topic<String, IssuanceEvent> credentialsIssued;
    private final Topic<String, StoredCredential> credentialsStored;
    private final Topic<String, AccessRequest> accessRequests;
    private final Topic<String, DecisionEvent> accessDecisions;
    private final Topic<String, InboxEvent> holderInbox;
    private final Topic<String, AccessAudit> audit;
    private final Topic<byte[], byte[]> rejected;
    private final Topic<byte[], byte[]> schemas;

    private TopicCatalog(Map<String, ?> configs) {
        this.config = new TopicCatalogConfig(configs);
        this.serdeConfigs = Map.copyOf(configs);
        this.directory = avroTopic("directory", compacted(), DirectoryEvent.class);
        this.directoryVerified = avroTopic("directory.verified", compacted(), VerifiedPrincipal.class);
        this.credentialsIssued = avroTopic("credentials.issued", deleted(ISSUED_RETENTION), IssuanceEvent.class);
        this.credentialsStored = avroTopic("credentials.stored", compacted(), StoredCredential.class);
        this.accessRequests = avroTopic("access.requests", deleted(REQUESTS_RETENTION), AccessRequest.class);
        this.accessDecisions = avroTopic("access.decisions", deleted(DECISIONS_RETENTION), DecisionEvent.class);
        this.holderInbox = avroTopic("holder.inbox", deleted(INBOX_RETENTION), InboxEvent.class);
        this.audit = avroTopic("audit", deleted(AUDIT_RETENTION), AccessAudit.class);
        this.rejected = new Topic<>(name("rejected"), config.partitions(), config.replicationFactor(),
                deleted(REJECTED_RETENTION), Serdes::ByteArray, Serdes::ByteArray);
        this.schemas = new Topic<>(SCHEMAS_TOPIC, 1, config.replicationFactor(), compacted(),
                Serdes::ByteArray, Serdes::ByteArray);
    }

    /** A catalogue for these settings: {@link TopicCatalogConfig}'s keys and the serdes' registry settings. */
    public static TopicCatalog create(Map<String, ?> configs) {
        return new TopicCatalog(configs);
    }

    /** Registrations and accreditations, keyed by principal id. */
    public Topic<String, DirectoryEvent> directory() {
        return directory;
    }

    /**
     * The directory as the processors verified it, keyed by principal id and written by the processors alone. The
     * raw directory is writable by every principal, and a compacted topic keeps only the latest record of a key, so
     * a forged registration there could compact away the genuine one; this topic holds only what verified.
     */
    public Topic<String, VerifiedPrincipal> directoryVerified() {
        return directoryVerified;
    }

    /** Issuers' credentials and credential revocations, keyed by holder id. */
    public Topic<String, IssuanceEvent> credentialsIssued() {
        return credentialsIssued;
    }

    /** The vault: verified credentials, keyed per credential and partitioned by holder; a tombstone erases one. */
    public Topic<String, StoredCredential> credentialsStored() {
        return credentialsStored;
    }

    /** Consumers' signed requests, keyed by holder id. */
    public Topic<String, AccessRequest> accessRequests() {
        return accessRequests;
    }

    /** Holders' signed grants, denials, revocations and erasures, keyed by holder id. */
    public Topic<String, DecisionEvent> accessDecisions() {
        return accessDecisions;
    }

    /** Pending requests and notices for holders, keyed by holder id. */
    public Topic<String, InboxEvent> holderInbox() {
        return holderInbox;
    }

    /** Who received what, keyed by holder id. */
    public Topic<String, AccessAudit> audit() {
        return audit;
    }

    /** Input the processors refused: the original bytes, with the reason in headers. */
    public Topic<byte[], byte[]> rejected() {
        return rejected;
    }

    /** The embedded Schema Registry's storage. */
    public Topic<byte[], byte[]> schemas() {
        return schemas;
    }

    /** One consumer's delivery topic, {@code <prefix>.deliveries.<consumerId>}, keyed by holder id. */
    public Topic<String, DeliveryEvent> deliveries(String consumerId) {
        if (consumerId == null || !PRINCIPAL_ID.matcher(consumerId).matches()) {
            throw new IllegalArgumentException("consumer id must match " + PRINCIPAL_ID.pattern() + ": " + consumerId);
        }
        return avroTopic("deliveries." + consumerId, deleted(DELIVERIES_RETENTION), DeliveryEvent.class);
    }

    /** The prefix shared by every consumer's delivery topic, for subscriptions by pattern and for ACLs. */
    public String deliveriesPrefix() {
        return name("deliveries.");
    }

    /** Every topic the platform needs before any principal exists; delivery topics come with each consumer. */
    public List<Topic<?, ?>> platformTopics() {
        return List.of(schemas, directory, directoryVerified, credentialsIssued, credentialsStored, accessRequests,
                accessDecisions, holderInbox, audit, rejected);
    }

    public int partitions() {
        return config.partitions();
    }

    private String name(String suffix) {
        return config.topicPrefix() + "." + suffix;
    }

    private <V extends SpecificRecord> Topic<String, V> avroTopic(String suffix, Map<String, String> topicConfigs,
                                                                 Class<V> valueType) {
        Supplier<Serde<V>> valueSerde = () -> {
            SpecificAvroSerde<V> serde = new SpecificAvroSerde<>(valueType);
            serde.configure(serdeConfigs, false);
            return serde;
        };
        return new Topic<>(name(suffix), config.partitions(), config.replicationFactor(), topicConfigs,
                Serdes::String, valueSerde);
    }

    private static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    private static Map<String, String> deleted(Duration retention) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        return configs;
    }
}
