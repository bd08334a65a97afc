package io.idstream.it.processors;

import io.idstream.crypto.SigningKeyPair;
import io.idstream.it.SeparateJvm;
import io.idstream.processors.ProcessorsApp;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.topics.TopicCatalogConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The processors app ({@link ProcessorsApp}'s main, as operators run it) in a JVM of its own, so that a test can
 * kill it without a shutdown. Each start logs to a file of its own under target/.
 */
final class ProcessorsJvm {
    /** What {@link ProcessorsApp} logs once its streams reach RUNNING. */
    private static final String RUNNING_LINE = "Processors running";
    /** The client JIT only, as for the Kafka nodes ({@link KafkaNodeJvms}): a restart costs less time and CPU. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private ProcessorsJvm() {
    }

    /**
     * The settings every test instance needs: where the cluster and the registry are, the operator key to trust,
     * the application id, the partition count and a state dir of its own.
     */
    static Properties properties(String bootstrapServers, String schemaRegistryUrl, SigningKeyPair operatorKey,
                                 String applicationId, int partitions, Path stateDir) {
        Properties props = new Properties();
        props.put(ProcessorsConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        props.put("schema.registry.url", schemaRegistryUrl);
        props.put(ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(operatorKey.publicKey()));
        props.put(ProcessorsConfig.APPLICATION_ID, applicationId);
        props.put(TopicCatalogConfig.PARTITIONS, String.valueOf(partitions));
        props.put(ProcessorsConfig.STATE_DIR, stateDir.toString());
        // Every request beyond a standing grant's uses stays parked: room for all of them, none refused for it.
        props.put(ProcessorsConfig.MAX_PENDING_PER_CONSUMER, "10000");
        // Records go to the broker as they are produced, not at the commit: a kill leaves the open transaction's
        // records in the log, aborted, and only a read_committed reader skips them.
        props.put("producer.linger.ms", "0");
        return props;
    }

    /** Writes {@code props} to {@code file} and starts the processors on it; {@code name} names its log. */
    static SeparateJvm start(String name, Properties props, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, null);
        }
        return SeparateJvm.start(name, ProcessorsApp.class, Path.of("target", name + ".log"), JVM_OPTIONS,
                file.toString());
    }

    /** Waits until the instance's streams run: it has joined its group and restored what it was assigned. */
    static void awaitRunning(SeparateJvm processors, Duration timeout) {
        processors.awaitLogLine(RUNNING_LINE, timeout);
    }
}
