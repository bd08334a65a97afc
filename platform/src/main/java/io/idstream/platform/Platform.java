package io.idstream.platform;

import io.idstream.crypto.SigningKeyPair;
import io.idstream.platform.connect.EmbeddedConnect;
import io.idstream.platform.gateway.GatewayInstance;
import io.idstream.platform.growth.GrowthRefusedException;
import io.idstream.platform.growth.GrowthReport;
import io.idstream.platform.growth.GrowthSettings;
import io.idstream.platform.growth.PartitionGrowth;
import io.idstream.platform.kafka.EmbeddedKafka;
import io.idstream.platform.kafka.EmbeddedKafkaCluster;
import io.idstream.platform.kafka.KafkaClusterLayout;
import io.idstream.platform.registry.EmbeddedSchemaRegistry;
import io.idstream.platform.tls.PlatformTls;
import io.idstream.processors.ProcessorsApp;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.topics.ProvisioningReport;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicGenerations;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The embedded default in one process: a Kafka broker with its data under the data dir, the catalogue's topics
 * provisioned, a Schema Registry kept in the broker, and the processors. {@link #start} returns once all of them
 * serve; {@link #close} stops them in reverse order. Everything listens on 127.0.0.1.
 *
 * <p>Data dir layout: {@code kafka/} is the broker's log dir (with {@link PlatformConfig#NODES} above one, node
 * {@code i}'s is {@code kafka/node-i}), {@code streams/} the processors' state,
 * {@code operator/signing.pem} the operator key the processors trust for accreditations, {@code gateway/} the holder
 * gateway's state ({@link PlatformGateway}, when it runs), {@code connect-secrets/}
 * the files connector configs take their secrets from, {@code platform.lock} keeps a second platform off the
 * directory; a secure platform keeps its admin login and TLS keys in {@code secrets/} ({@link AdminSecret},
 * {@link PlatformTls}) and the CA its clients trust in {@code tls/ca.pem}.
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    private static final Duration PROCESSORS_READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration GROWTH_STEP_TIMEOUT = Duration.ofSeconds(60);

    private final FileLock dataDirLock;
    private final PlatformConfig config;
    private EmbeddedKafka.Security security;
    /** The catalogue's settings, the registry's among them, without the generation; then with the one in use. */
    private Map<String, Object> baseCatalogConfigs;
    private Map<String, Object> catalogConfigs;
    // Set one by one as each server comes up, so that a failed start stops exactly those it brought up.
    private PlatformKafka kafka;
    private EmbeddedSchemaRegistry registry;
    private ProcessorsApp processors;
    private EmbeddedConnect connect;
    private GatewayInstance gateway;
    private SigningKeyPair operatorKey;
    private TopicCatalog catalog;
    private ProvisioningReport provisioning;
    /** In secure mode the registry's login and its CA, in Confluent's keys, for every client of the registry. */
    private Map<String, String> registryClientSettings = Map.of();

    private Platform(FileLock dataDirLock, PlatformConfig config) {
        this.dataDirLock = dataDirLock;
        this.config = config;
    }

    public static Platform start(PlatformConfig config) {
        Platform platform = new Platform(DataDirLock.acquire(config.dataDir()), config);
        try {
            platform.startServers(config);
        } catch (RuntimeException e) {
            platform.stopServers();
            throw e;
        }
        LOG.info("Platform up dataDir={} bootstrapServers={} schemaRegistryUrl={}", config.dataDir(),
                platform.bootstrapServers(), platform.schemaRegistryUrl());
        return platform;
    }

    private void startServers(PlatformConfig config) {
        Path dataDir = config.dataDir();
        PlatformChecks.requireUsable(config);
        security = config.secure() ? AdminSecret.loadOrCreate(dataDir) : null;
        kafka = PlatformKafka.start(config, security);

        // The catalogue's replication factor defaults to the brokers' default.replication.factor, which the node
        // layout sets: 1 on one node, 3 on three.
        Map<String, Object> originals = config.originals();
        Map<String, Object> adminConfigs = new HashMap<>(kafka.clientConfigs());
        adminConfigs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        PlatformProvisioning provisioned = PlatformProvisioning.provision(originals, adminConfigs);
        TopicCatalog provisioningCatalog = provisioned.catalog();
        provisioning = provisioned.report();
        KafkaLogins logins = security == null ? null
                : new KafkaLogins(kafka.bootstrapServers(), kafka.clientConfigs(), security.adminUser());
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), provisioningCatalog.schemas(),
                config.registryPort(), kafka.clientConfigs(), logins,
                security == null ? null : security.tls().serverContext());
        if (security != null) {
            registryClientSettings = new HashMap<>(AdminSecret.registryLogin(security));
            registryClientSettings.putAll(security.tls().registryClientConfigs());
        }

        baseCatalogConfigs = new HashMap<>(originals);
        baseCatalogConfigs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        baseCatalogConfigs.putAll(registryClientSettings);
        useCurrentGeneration();

        Path operatorKeyFile = dataDir.resolve("operator").resolve("signing.pem");
        operatorKey = OperatorKey.loadOrCreate(operatorKeyFile);
        OperatorKey.writePublicKey(operatorKeyFile, operatorKey);
        if (config.processorsEnabled()) {
            processors = ProcessorsApp.start(PlatformProcessors.config(config, kafka, catalogConfigs, operatorKey),
                    PROCESSORS_READY_TIMEOUT);
        }
        if (config.connectEnabled()) {
            Map<String, Object> connectConfigs = security == null ? kafka.clientConfigs()
                    : ConnectLogin.setUp(dataDir, kafka.bootstrapServers(), kafka.clientConfigs(), provisioningCatalog);
            connect = EmbeddedConnect.start(kafka.bootstrapServers(), connectConfigs, config.connectPort(),
                    config.connectPluginPath(), security == null ? null : security.adminUser(),
                    connectSecretsDir(dataDir), security == null ? null : security.tls().keystoreConfigs(),
                    provisioning.replication());
        }
        if (config.gatewayEnabled()) {
            gateway = PlatformGateway.start(config, config.gatewayPort(), kafka, catalog, catalogConfigs, operatorKey,
                    security);
        }
    }

    /**
     * Points the catalogue at the generation of the holder-keyed topics in use, read from the deployment's
     * {@code <prefix>.generation} topic; on a secure platform the operator registers its topics' schemas, since
     * only the operator may add one there.
     */
    private void useCurrentGeneration() {
        catalogConfigs = TopicGenerations.withGeneration(baseCatalogConfigs,
                TopicGenerations.current(deploymentConfigs(), Duration.ofSeconds(30)));
        catalog = TopicCatalog.create(catalogConfigs);
        registerSchemas(catalog);
    }

    /** On a secure platform registers the schemas of a catalogue (a new generation's before it is published). */
    private void registerSchemas(TopicCatalog topics) {
        if (security != null) {
            OperatorSchemas.registerCatalog(topics, registry.url(), registryClientSettings.get(
                    AvroSerdeConfig.BASIC_AUTH_USER_INFO), security.tls().caCertificate());
        }
    }

    /**
     * Where the operator keeps the secrets of connector configs (a webhook's {@code webhook.secret}), named in a
     * config as {@code ${file:<this dir>/<file>.properties:webhook.secret}}: made mode 700.
     */
    public static Path connectSecretsDir(Path dataDir) {
        return PlatformChecks.privateDir(dataDir.resolve("connect-secrets"));
    }

    /** The catalogue's settings without the generation, and the operator's Kafka client settings. */
    private Map<String, Object> deploymentConfigs() {
        Map<String, Object> configs = new HashMap<>(baseCatalogConfigs);
        configs.putAll(kafka.clientConfigs());
        configs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return configs;
    }

    /** Every Kafka node's client address, comma separated. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Where the Kafka nodes listen, and the replication factor and min ISR every topic gets from them. */
    public KafkaClusterLayout kafkaLayout() {
        return kafka.layout();
    }

    /** The Kafka cluster, whose nodes a test or a user may stop and start; null when one node runs. */
    public EmbeddedKafkaCluster kafkaCluster() {
        return kafka.cluster();
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    /** The Connect worker's REST API, or null when the platform runs without one. */
    public URI connectUrl() {
        return connect == null ? null : connect.url();
    }

    /** The holder gateway's HTTP API, or null when the platform runs without one. */
    public URI gatewayUrl() {
        return gateway == null ? null : gateway.url();
    }

    /** The key whose accreditations this platform's processors trust. */
    public SigningKeyPair operatorKey() {
        return operatorKey;
    }

    /** The processors running in this process, or null when the platform runs without them. */
    public ProcessorsApp processors() {
        return processors;
    }

    /** The topic catalogue, its serdes pointed at this platform's registry. */
    public TopicCatalog catalog() {
        return catalog;
    }

    /** What provisioning did at start, with any drift it found. */
    public ProvisioningReport provisioning() {
        return provisioning;
    }

    /**
     * Client settings that reach this platform: bootstrap servers and the registry URL, the operator key a consumer
     * pins ({@code idstream.operator.keys}), and in secure mode the operator's (super user's) SASL settings and
     * registry login, and the TLS settings that trust the platform's CA.
     */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.putAll(kafka.clientConfigs());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
        properties.putAll(registryClientSettings);
        // A consumer trusts the accreditations of the operator keys it pins: those of this platform's operator.
        properties.put(ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(operatorKey.publicKey()));
        return properties;
    }

    /**
     * Moves the holder-keyed topics to a new generation of {@code partitions} partitions ({@link PartitionGrowth}):
     * stops this platform's processors and gateway, copies every topic and the processors' state, publishes the new
     * generation, and starts the processors and gateway again on it.
     *
     * @throws GrowthRefusedException when {@code partitions} is not a multiple above the current count, or another
     *                                process runs processors or a gateway of this deployment
     */
    public synchronized GrowthReport growPartitions(int partitions) {
        boolean processorsRan = processors != null;
        // The gateway comes back at the port it had, where holders' clients reach it.
        int gatewayPort = gateway == null ? -1 : gateway.port();
        closeQuietly(gateway);
        gateway = null;
        closeQuietly(processors);
        processors = null;
        try {
            return new PartitionGrowth(new GrowthSettings(deploymentConfigs(), PlatformProcessors.APPLICATION_ID,
                    PlatformGateway.APPLICATION_ID, GROWTH_STEP_TIMEOUT), this::registerSchemas).grow(partitions);
        } finally {
            // In the new generation, or in the old one again when the growth was refused or failed.
            useCurrentGeneration();
            if (processorsRan) {
                processors = ProcessorsApp.start(PlatformProcessors.config(config, kafka, catalogConfigs,
                        operatorKey), PROCESSORS_READY_TIMEOUT);
            }
            if (gatewayPort >= 0) {
                gateway = PlatformGateway.start(config, gatewayPort, kafka, catalog, catalogConfigs, operatorKey,
                        security);
            }
        }
    }

    @Override
    public void close() {
        stopServers();
        LOG.info("Platform stopped");
    }

    /** Stops, in reverse order, the servers that came up, and frees the data dir. */
    private void stopServers() {
        closeQuietly(gateway);
        closeQuietly(connect);
        closeQuietly(processors);
        closeQuietly(registry);
        closeQuietly(kafka);
        DataDirLock.release(dataDirLock);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Error while stopping {}: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
