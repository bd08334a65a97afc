package io.idstream.gateway;

import io.idstream.gateway.http.GatewayLimits;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.StreamsResilience;
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
 * Every setting of the holder gateway, declared once. Keys not declared here (security, TLS and SASL of the cluster,
 * the registry's {@code basic.auth.user.info} and {@code schema.registry.ssl.*}, client and Streams tuning, rack
 * awareness) pass through unchanged to Kafka Streams, to the clients the gateway makes, and to the Avro serdes; the
 * standby and session settings that make a failover fast are declared with their defaults by
 * {@link StreamsResilience}.
 */
public final class GatewayConfig extends AbstractConfig {
    public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String BOOTSTRAP_SERVERS = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String STATE_DIR = StreamsConfig.STATE_DIR_CONFIG;
    public static final String OPERATOR_KEYS = "idstream.operator.keys";
    public static final String LISTEN_HOST = "idstream.gateway.listen.host";
    public static final String PORT = "idstream.gateway.port";
    public static final String ADVERTISED_HOST = "idstream.gateway.advertised.host";
    public static final String PUBLIC_AUTHORITIES = "idstream.gateway.public.authorities";
    public static final String REGISTRATIONS_PER_ADDRESS = "idstream.gateway.registrations.per.address.per.minute";
    public static final String REGISTRATIONS_PER_MINUTE = "idstream.gateway.registrations.per.minute";
    /** The processors' own key: a grant issued longer ago than this can no longer be accepted, so it is forgotten. */
    public static final String REPLAY_WINDOW_MS = "idstream.replay.window.ms";
    /** The processors' own key: a consent request older than this is not shown. */
    public static final String PENDING_TTL_MS = "idstream.pending.ttl.ms";
    public static final String PUNCTUATE_INTERVAL_MS = "idstream.punctuate.interval.ms";
    public static final String PUNCTUATE_MAX_EXPIRIES = "idstream.punctuate.max.expiries";
    static final long DEFAULT_COMMIT_INTERVAL_MS = 25;

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    public static final ConfigDef DEFINITION = StreamsResilience.define(new ConfigDef(TopicCatalogConfig.DEFINITION),
                    "the gateway's")
            .define(APPLICATION_ID, Type.STRING, "idstream-gateway", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Kafka Streams application id of the gateway: its consumer group, and the "
                            + "prefix of its stores' changelog topics. Every gateway instance of one deployment "
                            + "shares it.")
            .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Kafka bootstrap servers.")
            .define(AvroSerdeConfig.SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(), Importance.HIGH, "Schema Registry URL.")
            .define(STATE_DIR, Type.STRING, "./.idstream/data/gateway", Importance.MEDIUM,
                    "Directory of the gateway's RocksDB state stores.")
            .define(OPERATOR_KEYS, Type.LIST, List.of(), Importance.HIGH,
                    "Hex Ed25519 public keys of the operators whose accreditations are trusted; the same list as "
                            + "the processors', since the gateway checks the verified directory again as it loads it.")
            .define(LISTEN_HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Address the HTTP API listens on; 0.0.0.0 for holders on other hosts.")
            .define(PORT, Type.INT, 8090, ConfigDef.Range.between(0, 65535), Importance.HIGH,
                    "Port of the HTTP API; 0 takes a free port.")
            .define(ADVERTISED_HOST, Type.STRING, null, Importance.MEDIUM,
                    "Host name other gateway instances reach this one by, to forward a holder's request to the "
                            + "instance that owns the holder's partition; unset: the listen host.")
            .define(PUBLIC_AUTHORITIES, Type.LIST, List.of(), Importance.MEDIUM,
                    "The host[:port] names holders reach the gateway by (a load balancer's, a TLS front's): a "
                            + "request for any other authority is refused before its signature is checked "
                            + "(docs/protocol.md section 16). The advertised host and port of every instance, and "
                            + "127.0.0.1 and localhost at the bound port when listening on loopback, are always "
                            + "served.")
            .define(REGISTRATIONS_PER_ADDRESS, Type.INT, 10, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "How many registrations (POST /v1/holders) one source address may send an instance a minute; "
                            + "more are refused with 429 before their body is read.")
            .define(REGISTRATIONS_PER_MINUTE, Type.INT, 100, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "How many registrations an instance takes a minute from all addresses together.")
            .define(REPLAY_WINDOW_MS, Type.LONG, 7 * DAY_MS, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "The processors' replay window: a grant issued longer ago than this can no longer be accepted, "
                            + "so its terms are dropped if it was not; an answer seen before its request is "
                            + "remembered this long.")
            .define(PENDING_TTL_MS, Type.LONG, 7 * DAY_MS, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "The processors' pending TTL: an issuer's consent request is shown to the holder until a write "
                            + "grant answers it or this long after it was made.")
            .define(PUNCTUATE_INTERVAL_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(10), Importance.LOW,
                    "How often, in wall-clock milliseconds, expired requests and forgotten grant terms are removed.")
            .define(PUNCTUATE_MAX_EXPIRIES, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most entries one expiry punctuation removes; the rest are removed by the next.");

    private final List<byte[]> operatorKeys;

    public GatewayConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.operatorKeys = getList(OPERATOR_KEYS).stream().map(ProcessorsConfig::operatorKey).toList();
    }

    public List<byte[]> operatorKeys() {
        return operatorKeys;
    }

    /**
     * The Kafka Streams application id in use: the configured one in generation 0 of the holder-keyed topics,
     * {@code <configured>-g<generation>} after, as the processors' ({@link ProcessorsConfig#generationApplicationId}):
     * a new generation's views are built afresh from its topics, in a group and changelogs of their own.
     */
    public String applicationId() {
        return ProcessorsConfig.generationApplicationId(getString(APPLICATION_ID),
                getInt(TopicCatalogConfig.GENERATION));
    }

    /**
     * These settings in the deployment's generation of the holder-keyed topics, read from its
     * {@code <prefix>.generation} topic ({@link TopicGenerations#resolve}): its number and partition count, and so
     * its topic names, partition count and application id.
     */
    public GatewayConfig resolveGeneration(Duration timeout) {
        Map<String, Object> configs = new HashMap<>(originals());
        configs.put(BOOTSTRAP_SERVERS, String.join(",", getList(BOOTSTRAP_SERVERS)));
        return new GatewayConfig(TopicGenerations.resolve(configs, timeout));
    }

    /** The partition count of every holder-keyed topic, which holder ids are hashed over. */
    public int partitions() {
        return getInt(TopicCatalogConfig.PARTITIONS);
    }

    public String listenHost() {
        return getString(LISTEN_HOST);
    }

    /** The configured HTTP port; 0 when the server is to take a free one. */
    public int port() {
        return getInt(PORT);
    }

    public String advertisedHost() {
        String advertised = getString(ADVERTISED_HOST);
        return advertised == null || advertised.isBlank() ? listenHost() : advertised;
    }

    /** The configured {@code host[:port]} names holders reach the gateway by, besides the instances' own. */
    public List<String> publicAuthorities() {
        return getList(PUBLIC_AUTHORITIES);
    }

    /** The HTTP layer's limits: the defaults, with the registration pace configured here. */
    public GatewayLimits limits() {
        return GatewayLimits.defaults().withRegistrationsPerMinute(getInt(REGISTRATIONS_PER_ADDRESS),
                getInt(REGISTRATIONS_PER_MINUTE));
    }

    public long replayWindowMs() {
        return getLong(REPLAY_WINDOW_MS);
    }

    public long pendingTtlMs() {
        return getLong(PENDING_TTL_MS);
    }

    public Duration punctuateInterval() {
        return Duration.ofMillis(getLong(PUNCTUATE_INTERVAL_MS));
    }

    public int punctuateMaxExpiries() {
        return getInt(PUNCTUATE_MAX_EXPIRIES);
    }

    /** The settings the Avro serdes and the topic catalogue read, the registry's TLS and login among them. */
    public Map<String, Object> catalogConfigs() {
        return new HashMap<>(originals());
    }

    /** The settings of a Kafka client the gateway makes (security, TLS and SASL included), with the servers. */
    public Map<String, Object> clientConfigs() {
        Map<String, Object> configs = new HashMap<>(originals());
        DEFINITION.names().stream().filter(name -> name.startsWith("idstream.")).forEach(configs::remove);
        configs.remove(APPLICATION_ID);
        configs.remove(STATE_DIR);
        configs.put(BOOTSTRAP_SERVERS, String.join(",", getList(BOOTSTRAP_SERVERS)));
        return configs;
    }

    /**
     * Kafka Streams settings: exactly-once v2, so that a use counted or an audit entry kept is never counted twice
     * after a crash; byte-array default serdes (each view decodes its own input, and skips what does not decode);
     * and {@code application.server} set to the advertised host and the port the HTTP server actually bound, which
     * other instances forward requests to; and {@link StreamsResilience}'s settings: internal topics replicated as
     * {@code replication} says (as the processors resolve it), standbys, a short session, writes acknowledged by every
     * in-sync replica.
     */
    public Properties streamsProperties(int boundHttpPort, Replication replication) {
        Properties props = new Properties();
        props.putAll(originals());
        DEFINITION.names().stream().filter(name -> name.startsWith("idstream.")).forEach(props::remove);
        props.put(APPLICATION_ID, applicationId());
        props.put(BOOTSTRAP_SERVERS, String.join(",", getList(BOOTSTRAP_SERVERS)));
        props.put(STATE_DIR, getString(STATE_DIR));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost() + ":" + boundHttpPort);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A change is readable from the stores at once, but the next one waits for the commit under exactly-once.
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // The verified directory's source decodes with Avro; a record it cannot read is logged and skipped. The
        // gateway writes to no topic of the processors', so it has no dead-letter queue.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        StreamsResilience.apply(this, props, replication);
        return props;
    }
}
