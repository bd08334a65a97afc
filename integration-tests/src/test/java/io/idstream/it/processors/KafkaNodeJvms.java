package io.idstream.it.processors;

import io.idstream.it.SeparateJvm;
import io.idstream.platform.kafka.KafkaClusterLayout;
import io.idstream.platform.kafka.KafkaNodeMain;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The nodes of a KRaft cluster, each a combined broker and controller in a JVM of its own ({@link KafkaNodeMain}),
 * so that a test can kill one as a machine dies (SIGKILL) and start it again on the same dir and ports. Node
 * {@code i} keeps its log dir in {@code <kafka dir>/node-i}; each start logs to a file of its own under target/.
 */
final class KafkaNodeJvms implements AutoCloseable {
    /**
     * The client JIT only: a node starts (and starts again after a kill) in less time and CPU, which the other JVMs
     * of a two-core run need; a test's load is far below what C1-compiled code serves.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private final Path kafkaDir;
    private final KafkaClusterLayout layout;
    private final String logPrefix;
    private final Map<Integer, SeparateJvm> running = new HashMap<>();
    private int starts;

    KafkaNodeJvms(Path kafkaDir, KafkaClusterLayout layout, String logPrefix) {
        this.kafkaDir = kafkaDir;
        this.layout = layout;
        this.logPrefix = logPrefix;
    }

    /** Starts every node at once (each waits for a quorum of controllers) and returns once all serve. */
    void startAll(Duration timeout) throws IOException {
        for (int id = 1; id <= layout.nodes(); id++) {
            launch(id);
        }
        for (int id = 1; id <= layout.nodes(); id++) {
            awaitUp(id, timeout);
        }
    }

    /** Starts node {@code nodeId} again on its dir and ports and returns once it serves. */
    void start(int nodeId, Duration timeout) throws IOException {
        launch(nodeId);
        awaitUp(nodeId, timeout);
    }

    /** SIGKILL: the node dies at once, nothing flushed, no leadership handed over. */
    void kill(int nodeId) throws InterruptedException {
        SeparateJvm node = running.remove(nodeId);
        if (node == null) {
            throw new IllegalStateException("node " + nodeId + " is not running");
        }
        node.kill();
    }

    Path nodeDir(int nodeId) {
        return kafkaDir.resolve("node-" + nodeId);
    }

    List<Path> nodeDirs() {
        return IntStream.rangeClosed(1, layout.nodes()).mapToObj(this::nodeDir).toList();
    }

    private void launch(int nodeId) throws IOException {
        starts++;
        running.put(nodeId, SeparateJvm.start("kafka node " + nodeId, KafkaNodeMain.class,
                Path.of("target", logPrefix + "-node-" + nodeId + "-start-" + starts + ".log"), JVM_OPTIONS,
                kafkaDir.toString(), Integer.toString(nodeId), joined(layout.clientPorts()),
                joined(layout.controllerPorts())));
    }

    private void awaitUp(int nodeId, Duration timeout) {
        running.get(nodeId).awaitLogLine("kafka node " + nodeId + " up", timeout);
    }

    private static String joined(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Kills every node still running: all at once, since a node stopped alone would wait for its peers' quorum. */
    @Override
    public void close() {
        try {
            for (SeparateJvm node : running.values()) {
                node.kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.clear();
    }
}
