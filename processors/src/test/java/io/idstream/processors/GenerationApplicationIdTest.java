package io.idstream.processors;

import io.idstream.topics.Replication;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a later generation of the holder-keyed topics the processors are a new Kafka Streams application: the
 * configured id suffixed with the generation, so a new group, new changelogs and new state directories, while the
 * configured id names generation 0's.
 */
class GenerationApplicationIdTest {
    private static Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, "broker-1:9092");
        settings.put("schema.registry.url", "http://registry:8081");
        settings.put(ProcessorsConfig.APPLICATION_ID, "acme-processors");
        return settings;
    }

    @Test
    void aLaterGenerationRunsUnderTheConfiguredIdSuffixedWithItsNumber() {
        Map<String, Object> settings = settings();
        settings.put(TopicCatalogConfig.GENERATION, 3);
        settings.put(TopicCatalogConfig.PARTITIONS, 24);

        ProcessorsConfig config = new ProcessorsConfig(settings);
        Properties props = config.streamsProperties("acme.rejected", Replication.of((short) 1));

        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("acme-processors-g3");
        assertThat(config.partitions()).isEqualTo(24);
        assertThat(TopicCatalog.create(config.catalogConfigs()).accessRequests().name())
                .isEqualTo("idstream.g3.access.requests");
    }

    @Test
    void generationZeroRunsUnderTheConfiguredId() {
        Properties props = new ProcessorsConfig(settings()).streamsProperties("acme.rejected",
                Replication.of((short) 1));

        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("acme-processors");
    }
}
