package io.idstream.processors;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A metrics server that cannot start leaves nothing behind: when a meter binder fails, the port is free again, so
 * that a retry or another process can take it; when the port is taken, the start fails naming it and the metrics
 * thread the binders started is stopped. The Kafka Streams apps here are never started, so they connect nowhere.
 */
class MetricsServerTest {
    static final String HOST = "127.0.0.1";
    static final String METRICS_THREAD = "idstream-metrics";

    @Test
    void aBinderThatFailsAtStartLeavesThePortFree(@TempDir Path stateDir) throws IOException {
        int port = freePort();
        try (KafkaStreams streams = new UnreadableMetricsStreams(stateDir)) {
            assertThatThrownBy(() -> MetricsServer.start(streams, HOST, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(UnreadableMetricsStreams.FAILURE);

            try (ServerSocket after = new ServerSocket()) {
                assertThatCode(() -> after.bind(new InetSocketAddress(HOST, port)))
                        .as("binding port %s after the failed start", port).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void aPortInUseFailsTheStartByNameAndStopsTheMetricsThread(@TempDir Path stateDir) throws IOException {
        try (KafkaStreams streams = new KafkaStreams(topology(), settings(stateDir));
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> MetricsServer.start(streams, HOST, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot serve metrics on " + HOST + ":" + port + ": ");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(liveThreadsNamed(METRICS_THREAD))
                    .as("live threads named %s after the failed start", METRICS_THREAD).isEmpty());
        }
    }

    private static List<Thread.State> liveThreadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .map(Thread::getState).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        }
    }

    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("metrics-server-test-in").to("metrics-server-test-out");
        return builder.build();
    }

    private static Properties settings(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-server-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    /** A Kafka Streams app whose metrics cannot be read: the Kafka Streams binder, which reads them, fails. */
    private static final class UnreadableMetricsStreams extends KafkaStreams {
        static final String FAILURE = "the metrics cannot be read";

        UnreadableMetricsStreams(Path stateDir) {
            super(topology(), settings(stateDir));
        }

        @Override
        public Map<MetricName, ? extends Metric> metrics() {
            throw new IllegalStateException(FAILURE);
        }
    }
}
