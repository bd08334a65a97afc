package io.idstream.processors;

import io.idstream.topics.Replication;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many stream threads an instance runs: one per core, so that signature checks are not all on one thread, but no
 * more than the partitions, of which each thread needs at least one; and what the operator sets, when set.
 */
class StreamThreadsTest {
    private static final String REJECTED = "idstream.rejected";

    @Test
    void theDefaultIsOneThreadPerCoreBoundedByThePartitions() {
        assertThat(ProcessorsConfig.defaultStreamThreads(8, 6)).as("8 cores, 6 partitions").isEqualTo(6);
        assertThat(ProcessorsConfig.defaultStreamThreads(2, 6)).as("2 cores, 6 partitions").isEqualTo(2);
        assertThat(ProcessorsConfig.defaultStreamThreads(4, 1)).as("4 cores, 1 partition").isEqualTo(1);
    }

    @Test
    void theProcessorsRunTheDefaultUnlessTheOperatorSetsTheStreamsKey() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, "broker-1:9092");
        settings.put("schema.registry.url", "http://registry:8081");
        settings.put(TopicCatalogConfig.PARTITIONS, 1);
        Properties byDefault = new ProcessorsConfig(settings).streamsProperties(REJECTED, Replication.of((short) 1));

        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "3");
        Properties set = new ProcessorsConfig(settings).streamsProperties(REJECTED, Replication.of((short) 1));

        assertThat(new StreamsConfig(byDefault).getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG))
                .as("one partition, on any number of cores").isEqualTo(1);
        assertThat(byDefault).as("the default, set by the processors").containsKey(
                StreamsConfig.NUM_STREAM_THREADS_CONFIG);
        assertThat(new StreamsConfig(set).getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).as("the operator's")
                .isEqualTo(3);
    }
}
