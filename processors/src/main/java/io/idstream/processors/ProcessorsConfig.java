package io.idstream.processors;

import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.topics.Replication;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicGenerations;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting of the processors app, declared once. Keys not declared here (security, client tuning, Streams
 * tuning, rack awareness) pass through to Kafka Streams unchanged; the standby and session settings that make a
 * failover fast are declared with their defaults by {@link StreamsResilience}.
 */
public final class ProcessorsConfig extends AbstractConfig {
    public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String BOOTSTRAP_SERVERS = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String STATE_DIR = StreamsConfig.STATE_DIR_CONFIG;
    public static final String OPERATOR_KEYS = "idstream.operator.keys";
    static final long DEFAULT_COMMIT_INTERVAL_MS = 25;
    public static final String MAX_FIELDS = "idstream.limits.max.fields";
    public static final String MAX_FIELD_BYTES = "idstream.limits.max.field.bytes";
    public static final String MAX_CREDENTIAL_BYTES = "idstream.limits.max.credential.bytes";
    public static final String MAX_REQUEST_BYTES = "idstream.limits.max.request.bytes";
    public static final String MAX_PENDING_PER_CONSUMER = "idstream.limits.max.pending.per.consumer";
    public static final String PENDING_TTL_MS = "idstream.pending.ttl.ms";
    public static final String REPLAY_WINDOW_MS = "idstream.replay.window.ms";
    public static final String PUNCTUATE_INTERVAL_MS = "idstream.punctuate.interval.ms";
    public static final String PUNCTUATE_MAX_EXPIRIES = "idstream.punctuate.max.expiries";
    public static final String METRICS_PORT = "idstream.metrics.port";
    public static final String METRICS_HOST = "idstream.metrics.host";
    public static final String WRITE_GRANT_REQUIRED = "idstream.issuance.write.grant.required";

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    public static final ConfigDef DEFINITION = StreamsResilience.define(new ConfigDef(TopicCatalogConfig.DEFINITION),
                    "the processors'")
            .define(APPLICATION_ID, Type.STRING, "idstream-processors", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Kafka Streams application id: the consumer group, and the prefix of the "
                            + "state stores' changelog topics.")
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Kafka bootstrap servers.")
            .define(AvroSerdeConfig.SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(), Importance.HIGH, "Schema Registry URL.")
            .define(STATE_DIR, Type.STRING, "./.idstream/data/streams", Importance.MEDIUM,
                    "Directory of the RocksDB state stores.")
            .define(OPERATOR_KEYS, Type.LIST, List.of(), Importance.HIGH,
                    "Hex Ed25519 public keys of the operators whose accreditations the processors trust. An issuer "
                            + "accredited by no key in this list cannot have credentials stored.")
            .define(MAX_FIELDS, Type.INT, 64, ConfigDef.Range.between(1, 10_000), Importance.MEDIUM,
                    "Most fields in one credential.")
            .define(MAX_FIELD_BYTES, Type.INT, 64 * 1024, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Largest field ciphertext, in bytes.")
            .define(MAX_CREDENTIAL_BYTES, Type.INT, 1024 * 1024, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Largest credential record, in bytes as it arrives.")
            .define(MAX_REQUEST_BYTES, Type.INT, 8 * 1024, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Largest access request record, in bytes as it arrives. The requests topic's "
                            + "max.message.bytes (64 KiB) caps it at the broker.")
            .define(MAX_PENDING_PER_CONSUMER, Type.INT, 16, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Most requests one consumer may have waiting for one holder's decision; a further request "
                            + "that would wait is refused as too-many-pending.")
            .define(PENDING_TTL_MS, Type.LONG, 7 * DAY_MS, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "How long a request waits for the holder before it expires.")
            .define(REPLAY_WINDOW_MS, Type.LONG, 7 * DAY_MS, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "How long used request, grant and decision ids are remembered; a request created longer ago "
                            + "than this is refused as stale, so a forgotten id cannot be replayed.")
            .define(PUNCTUATE_INTERVAL_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(10), Importance.LOW,
                    "How often, in wall-clock milliseconds, grants and pending requests are checked for expiry.")
            .define(PUNCTUATE_MAX_EXPIRIES, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most grants, most pending requests and most used ids one expiry punctuation ends; the rest "
                            + "are ended by the next, so that a burst of expiries never holds the stream thread "
                            + "for long.")
            .define(WRITE_GRANT_REQUIRED, Type.BOOLEAN, true, Importance.HIGH,
                    "Whether a credential is stored only under a write grant of its holder in force that names its "
                            + "issuer and its type; without one it is refused as no-write-grant (docs/protocol.md "
                            + "section 11). Off, any accredited issuer may write to any holder's vault.")
            .define(METRICS_PORT, Type.INT, -1, ConfigDef.Range.between(-1, 65535), Importance.MEDIUM,
                    "Port of the Prometheus /metrics and /health endpoint; -1 serves none, 0 a free port.")
            .define(METRICS_HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Address the metrics endpoint listens on; 0.0.0.0 for a scraper on another host.");

    private final List<byte[]> operatorKeys;

    public ProcessorsConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.operatorKeys = getList(OPERATOR_KEYS).stream().map(ProcessorsConfig::operatorKey).toList();
    }

    /**
     * One entry of {@value #OPERATOR_KEYS}: an Ed25519 public key as 64 hex digits, or a ConfigException naming the
     * key. Shared by every application that checks the verified directory (the processors, the gateway).
     */
    public static byte[] operatorKey(String hex) {
        try {
            byte[] key = HexFormat.of().parseHex(hex.strip());
            if (key.length != 32) {
                throw new ConfigException(OPERATOR_KEYS, hex, "an Ed25519 public key is 32 bytes (64 hex digits)");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(OPERATOR_KEYS, hex, "not hex");
        }
    }

    public List<byte[]> operatorKeys() {
        return operatorKeys;
    }

    /** The partition count of every holder-keyed topic and of the directory, which their keys are hashed over. */
    public int partitions() {
        return getInt(TopicCatalogConfig.PARTITIONS);
    }

    public int maxFields() {
        return getInt(MAX_FIELDS);
    }

    public int maxFieldBytes() {
        return getInt(MAX_FIELD_BYTES);
    }

    public int maxCredentialBytes() {
        return getInt(MAX_CREDENTIAL_BYTES);
    }

    public int maxRequestBytes() {
        return getInt(MAX_REQUEST_BYTES);
    }

    public int maxPendingPerConsumer() {
        return getInt(MAX_PENDING_PER_CONSUMER);
    }

    public int punctuateMaxExpiries() {
        return getInt(PUNCTUATE_MAX_EXPIRIES);
    }

    public long pendingTtlMs() {
        return getLong(PENDING_TTL_MS);
    }

    public long replayWindowMs() {
        return getLong(REPLAY_WINDOW_MS);
    }

    public boolean writeGrantRequired() {
        return getBoolean(WRITE_GRANT_REQUIRED);
    }

    public int metricsPort() {
        return getInt(METRICS_PORT);
    }

    public String metricsHost() {
        return getString(METRICS_HOST);
    }

    public Duration punctuateInterval() {
        return Duration.ofMillis(getLong(PUNCTUATE_INTERVAL_MS));
    }

    /**
     * The stream threads an instance runs unless {@value StreamsConfig#NUM_STREAM_THREADS_CONFIG} is set: one per
     * core, so that signature checks spread over every core, but no more than the partitions, since each thread runs
     * whole tasks and there is one task per partition; a thread beyond that would have none.
     */
    public static int defaultStreamThreads(int cores, int partitions) {
        return Math.max(1, Math.min(cores, partitions));
    }

    /**
     * The Kafka Streams application id in use: the configured one in generation 0 of the holder-keyed topics,
     * {@code <configured>-g<generation>} after ({@link #generationApplicationId}).
     */
    public String applicationId() {
        return generationApplicationId(getString(APPLICATION_ID), getInt(TopicCatalogConfig.GENERATION));
    }

    /**
     * {@code applicationId} in generation 0, {@code <applicationId>-g<generation>} after: a new generation's
     * application is a new consumer group, with changelogs and state directories of its own, since its tasks are cut
     * by another partition count; its state is copied into them when the generation is made.
     */
    public static String generationApplicationId(String applicationId, int generation) {
        return generation == 0 ? applicationId : applicationId + "-g" + generation;
    }

    /**
     * These settings in the deployment's generation of the holder-keyed topics, read from its
     * {@code <prefix>.generation} topic ({@link TopicGenerations#resolve}): its number and partition count, and so
     * its topic names, partition count and application id.
     */
    public ProcessorsConfig resolveGeneration(Duration timeout) {
        Map<String, Object> configs = new HashMap<>(originals());
        configs.put(BOOTSTRAP_SERVERS, String.join(",", getList(BOOTSTRAP_SERVERS)));
        return new ProcessorsConfig(TopicGenerations.resolve(configs, timeout));
    }

    /** The settings the Avro serdes and the topic catalogue read. */
    public Map<String, Object> catalogConfigs() {
        return new HashMap<>(originals());
    }

    /**
     * Kafka Streams settings: exactly-once v2, one stream thread per core up to the partition count unless set
     * ({@link #defaultStreamThreads}), byte-array default serdes (every processor decodes its own input, so a
     * record that does not decode is rejected with its bytes, never skipped), and the rejected topic as the dead-letter
     * queue of anything that fails to deserialize anyway; and {@link StreamsResilience}'s settings: internal topics
     * replicated as {@code replication} says, standbys, a short session, writes acknowledged by every in-sync
     * replica.
     */
    // The global-handler switch is deprecated only because Kafka 5 makes it the default; until then it is needed.
    @SuppressWarnings("deprecation")
    public Properties streamsProperties(String rejectedTopic, Replication replication) {
        Properties props = new Properties();
        props.putAll(originals());
        DEFINITION.names().stream().filter(name -> name.startsWith("idstream.")).forEach(props::remove);
        props.put(APPLICATION_ID, applicationId());
        props.put(BOOTSTRAP_SERVERS, String.join(",", getList(BOOTSTRAP_SERVERS)));
        props.put(STATE_DIR, getString(STATE_DIR));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Under exactly-once a delivery is visible only once its transaction commits; Streams' default of 100 ms
        // put most of a one-click approval's wait there. Overridable, like any Streams setting.
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
        props.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                defaultStreamThreads(Runtime.getRuntime().availableProcessors(), partitions()));
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, rejectedTopic);
        // The global directory store gets the same handling as the tasks (and the default of Kafka 5).
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        StreamsResilience.apply(this, props, replication);
        return props;
    }
}
