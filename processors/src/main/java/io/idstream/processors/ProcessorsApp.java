package io.idstream.processors;

import io.idstream.processors.directory.GlobalDirectorySeed;
import io.idstream.topics.ProvisioningReport;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicDrift;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The processors as a running Kafka Streams application. {@link #start} provisions the catalogue's topics (idempotent),
 * resolving their replication, which the internal topics and the delivery and notice topics it creates then get too,
 * and warns of existing delivery, notice and internal topics replicated less; starts the topology and waits until it runs. A stream
 * thread that dies of a retriable failure (the registry or the cluster briefly away) is replaced, and its task
 * resumes from the last committed transaction, so nothing is lost or done twice. Run standalone with
 * {@code ProcessorsApp <properties file>}.
 */
public final class ProcessorsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorsApp.class);

    private final KafkaStreams streams;
    private final Admin admin;
    private final MetricsServer metrics;
    private final List<TopicDrift> replicationDrift;

    private ProcessorsApp(KafkaStreams streams, Admin admin, MetricsServer metrics,
                          List<TopicDrift> replicationDrift) {
        this.streams = streams;
        this.admin = admin;
        this.metrics = metrics;
        this.replicationDrift = List.copyOf(replicationDrift);
    }

    /**
     * Starts the processors in the deployment's generation of the holder-keyed topics
     * ({@link ProcessorsConfig#resolveGeneration}): its topics, its partition count and its application id.
     */
    public static ProcessorsApp start(ProcessorsConfig configured, Duration readyTimeout) {
        ProcessorsConfig config = configured.resolveGeneration(readyTimeout);
        TopicCatalog catalog = TopicCatalog.create(config.catalogConfigs());
        Map<String, Object> adminConfigs = new HashMap<>(config.originals());
        adminConfigs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", config.getList(ProcessorsConfig.BOOTSTRAP_SERVERS)));
        Admin admin = Admin.create(adminClientConfigs(adminConfigs));
        List<TopicDrift> replicationDrift;
        Properties props;
        KafkaStreams streams;
        try {
            TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));
            ProvisioningReport provisioning = provisioner.provision(catalog.platformTopics());
            // Only the generation's topics take its count: the others keep the one they were made with, and are read
            // and written by whatever count they have.
            Set<String> generationTopics = catalog.generationTopics().stream().map(Topic::name)
                    .collect(Collectors.toSet());
            List<TopicDrift> partitionDrift = provisioning.drift().stream()
                    .filter(drift -> drift.setting().equals("partitions"))
                    .filter(drift -> generationTopics.contains(drift.topic())).toList();
            if (!partitionDrift.isEmpty()) {
                // Each record must sit in its key's partition of the configured count (docs/protocol.md section 9):
                // with another count, every genuine record would be refused as wrong-partition.
                throw new ConfigException(TopicCatalogConfig.PARTITIONS, config.partitions(),
                        "the cluster's topics have another partition count: "
                        + partitionDrift.stream().map(TopicDrift::describe).collect(Collectors.joining("; ")));
            }
            // Topics the catalogue does not list by name, made by this application earlier or by hand: replicated
            // too little, they lose data with a broker, but they are in use, so a warning is all.
            String internalPrefix = config.applicationId() + "-";
            replicationDrift = provisioner.checkReplication(name -> name.startsWith(catalog.deliveriesPrefix())
                    || name.startsWith(catalog.issuerNoticesPrefix()) || name.startsWith(internalPrefix),
                    provisioning.replication());
            // Before the global store is restored, so that every task knows every issuer and consumer from its
            // first record (docs/protocol.md section 10).
            new GlobalDirectorySeed(adminConfigs, catalog.directoryVerified(), catalog.directoryGlobal())
                    .seedIfEmpty(Duration.ofSeconds(60));
            PrincipalTopics deliveryTopics = new AdminPrincipalTopics(admin, catalog::deliveries,
                    provisioning.replication());
            PrincipalTopics issuerNoticeTopics = new AdminPrincipalTopics(admin, catalog::issuerNotices,
                    provisioning.replication());
            props = config.streamsProperties(catalog.rejected().name(), provisioning.replication());
            streams = new KafkaStreams(IdstreamTopology.build(config, catalog, deliveryTopics, issuerNoticeTopics),
                    props);
        } catch (RuntimeException e) {
            admin.close(Duration.ofSeconds(5));
            throw e;
        }
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("Stream thread failed; replacing it, its tasks resume from their last commit", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        try {
            if (!running.await(readyTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                streams.close(Duration.ofSeconds(10));
                admin.close(Duration.ofSeconds(5));
                throw new IllegalStateException("the processors did not reach RUNNING within " + readyTimeout
                        + " (state " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            streams.close(Duration.ofSeconds(10));
            admin.close(Duration.ofSeconds(5));
            throw new IllegalStateException("interrupted while starting the processors", e);
        }
        MetricsServer metrics = config.metricsPort() < 0 ? null
                : MetricsServer.start(streams, config.metricsHost(), config.metricsPort());
        LOG.info("Processors running applicationId={} metricsPort={}", props.get(StreamsConfig.APPLICATION_ID_CONFIG),
                metrics == null ? "none" : metrics.port());
        return new ProcessorsApp(streams, admin, metrics, replicationDrift);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * The replication drift that {@link #start} found, and logged as warnings, on the delivery topics and this
     * application's internal topics: fewer replicas than resolved, another min ISR, partitions under-replicated.
     */
    public List<TopicDrift> replicationDrift() {
        return replicationDrift;
    }

    /** The port of the metrics endpoint, or -1 when it serves none. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /**
     * Stops the processors and leaves the consumer group, so that an instance started next (a restart of the
     * embedded platform) is assigned the partitions at once instead of after the old member's session timeout.
     */
    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        admin.close(Duration.ofSeconds(5));
    }

    /** Only the keys an Admin client knows, so that it does not warn about the rest. */
    private static Map<String, Object> adminClientConfigs(Map<String, Object> all) {
        Map<String, Object> admin = new HashMap<>();
        all.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        return admin;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: ProcessorsApp <properties file>");
            System.exit(2);
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            properties.load(in);
        }
        ProcessorsApp app = start(new ProcessorsConfig(properties), Duration.ofMinutes(2));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "idstream-processors-shutdown"));
        stopped.await();
    }
}
