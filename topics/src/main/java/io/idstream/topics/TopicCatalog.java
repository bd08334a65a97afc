package io.idstream.topics;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every topic of one idstream deployment, typed (docs/architecture.md "Topics"). Processors, SDKs and tests take
 * topic names and serdes from here and never spell a topic name themselves. Holder-keyed topics share one partition
 * count, so that a holder's records on every topic land in the same partition number. Make one with {@link #create}.
 *
 * <p>The configs given to {@link #create} also configure the Avro serdes ({@code schema.registry.url} and the other
 * keys of {@link io.idstream.schemas.serde.AvroSerdeConfig}); without them the catalogue still names and provisions
 * topics, and asking for a serde fails with a message naming the missing key.
 *
 * @param directory registrations and accreditations, keyed by principal id
 * @param directoryVerified the directory as the processors verified it, keyed by principal id and written by the
 *     processors alone. The raw directory is writable by every principal, and a compacted topic keeps only the latest
 *     record of a key, so a forged registration there could compact away the genuine one; this topic holds only what
 *     verified. Participants read every principal there
 * @param directoryGlobal the verified entries of every principal that is not a holder (issuers, consumers), keyed by
 *     principal id and written by the processors alone, which every processors instance loads as a global store;
 *     holders' entries stay in the partition of the task that owns the holder (docs/protocol.md section 10)
 * @param credentialsIssued issuers' credentials and credential revocations, keyed by holder id
 * @param credentialsStored the vault: verified credentials, keyed per credential and partitioned by holder; a
 *     tombstone erases one
 * @param accessRequests consumers' signed requests, keyed by holder id
 * @param accessDecisions holders' signed grants, denials, revocations and erasures, keyed by holder id
 * @param holderInbox pending requests and notices for holders, keyed by holder id
 * @param audit who received what, keyed by holder id
 * @param holderBackups principals' private keys sealed under their passphrases, compacted, keyed by principal id;
 *     only the gateway writes it
 * @param rejected input the processors refused: the original bytes, with the reason in headers
 * @param schemas the embedded Schema Registry's storage
 * @param factory the deployment's naming, sizing and serde settings, which make each consumer's delivery topic
 */
public record TopicCatalog(
        Topic<String, DirectoryEvent> directory,
        Topic<String, VerifiedPrincipal> directoryVerified,
        Topic<String, VerifiedPrincipal> directoryGlobal,
        Topic<String, IssuanceEvent> credentialsIssued,
        Topic<String, StoredCredential> credentialsStored,
        Topic<String, AccessRequest> accessRequests,
        Topic<String, DecisionEvent> accessDecisions,
        Topic<String, InboxEvent> holderInbox,
        Topic<String, AccessAudit> audit,
        Topic<String, HolderBackup> holderBackups,
        Topic<byte[], byte[]> rejected,
        Topic<byte[], byte[]> schemas,
        TopicFactory factory) {
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
    /**
     * The largest batch the broker takes on the requests topic, so that a consumer cannot write a request of a
     * megabyte (the broker's default) for the processors to read. A request is a few hundred bytes, and the
     * processors refuse one over {@code idstream.limits.max.request.bytes} (8 KiB by default) anyway; producers keep
     * their {@code batch.size} under this (Kafka's default, 16 KiB, is).
     */
    public static final int REQUESTS_MAX_MESSAGE_BYTES = 64 * 1024;

    private static final Pattern PRINCIPAL_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    /** A catalogue for these settings: {@link TopicCatalogConfig}'s keys and the serdes' registry settings. */
    public static TopicCatalog create(Map<String, ?> configs) {
        TopicFactory factory = new TopicFactory(configs);
        return new TopicCatalog(
                factory.generationTopic("directory", compacted(), DirectoryEvent.class),
                factory.avroTopic("directory.verified", compacted(), VerifiedPrincipal.class),
                factory.avroTopic("directory.global", compacted(), VerifiedPrincipal.class),
                factory.generationTopic("credentials.issued", deleted(ISSUED_RETENTION), IssuanceEvent.class),
                factory.generationTopic("credentials.stored", compacted(), StoredCredential.class),
                factory.generationTopic("access.requests", requests(), AccessRequest.class),
                factory.generationTopic("access.decisions", deleted(DECISIONS_RETENTION), DecisionEvent.class),
                factory.generationTopic("holder.inbox", deleted(INBOX_RETENTION), InboxEvent.class),
                factory.generationTopic("audit", deleted(AUDIT_RETENTION), AccessAudit.class),
                factory.generationTopic("holder.backups", compacted(), HolderBackup.class),
                factory.bytesTopic(factory.name("rejected"), factory.partitions(), deleted(REJECTED_RETENTION)),
                factory.bytesTopic(SCHEMAS_TOPIC, 1, compacted()),
                factory);
    }

    /** One consumer's delivery topic, {@code <prefix>.deliveries.<consumerId>}, keyed by holder id. */
    public Topic<String, DeliveryEvent> deliveries(String consumerId) {
        if (consumerId == null || !PRINCIPAL_ID.matcher(consumerId).matches()) {
            throw new IllegalArgumentException("consumer id must match " + PRINCIPAL_ID.pattern() + ": " + consumerId);
        }
        return factory.avroTopic("deliveries." + consumerId, deleted(DELIVERIES_RETENTION), DeliveryEvent.class);
    }

    /**
     * One issuer's notice topic, {@code <prefix>.notices.<issuerId>}, keyed by holder id: what became of the issuer's
     * credentials and the consent holders gave it.
     */
    public Topic<String, IssuerNotice> issuerNotices(String issuerId) {
        if (issuerId == null || !PRINCIPAL_ID.matcher(issuerId).matches()) {
            throw new IllegalArgumentException("issuer id must match " + PRINCIPAL_ID.pattern() + ": " + issuerId);
        }
        return factory.avroTopic("notices." + issuerId, deleted(DELIVERIES_RETENTION), IssuerNotice.class);
    }

    /** The prefix shared by every issuer's notice topic, for ACLs. */
    public String issuerNoticesPrefix() {
        return factory.name("notices.");
    }

    /** The prefix shared by every consumer's delivery topic, for subscriptions by pattern and for ACLs. */
    public String deliveriesPrefix() {
        return factory.name("deliveries.");
    }

    /**
     * The compacted, single-partition topic {@code <prefix>.generation} that names the generation of the holder-keyed
     * topics in use and its partition count ({@link TopicGeneration}); only the operator writes it.
     */
    public Topic<byte[], byte[]> generations() {
        return factory.bytesTopic(factory.name(TopicGenerations.TOPIC_SUFFIX), 1, compacted());
    }

    /** Every topic the platform needs before any principal exists; delivery topics come with each consumer. */
    public List<Topic<?, ?>> platformTopics() {
        return List.of(schemas, generations(), directory, directoryVerified, directoryGlobal, credentialsIssued,
                credentialsStored, accessRequests, accessDecisions, holderInbox, audit, holderBackups, rejected);
    }

    /**
     * The holder-keyed topics of this catalogue's generation, which must all have {@link #partitions()} partitions and
     * are renamed in the next generation when the count grows: the processors' inputs, and the outputs the gateway
     * reads with them. The verified and global directories, the rejected topic and the delivery and notice topics are
     * read by whatever count they have, and keep theirs.
     */
    public List<Topic<String, ?>> generationTopics() {
        return List.of(directory, credentialsIssued, credentialsStored, accessRequests, accessDecisions, holderInbox,
                audit, holderBackups);
    }

    /** The generation of the holder-keyed topics this catalogue names, with their partition count. */
    public TopicGeneration generation() {
        return new TopicGeneration(factory.generation(), factory.partitions());
    }

    /** The partition count every holder-keyed topic shares. */
    public int partitions() {
        return factory.partitions();
    }

    private static Map<String, String> requests() {
        Map<String, String> configs = deleted(REQUESTS_RETENTION);
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(REQUESTS_MAX_MESSAGE_BYTES));
        return configs;
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
