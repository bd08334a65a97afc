package io.idstream.processors;

import io.idstream.topics.Replication;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Streams settings of the processors as Kafka Streams itself reads them: internal topics replicated as resolved,
 * a standby and a short session by default, rack awareness passed through, and no setting that weakens a write.
 */
@Timeout(120)
class StreamsResilienceTest {
    private static final String REJECTED = "idstream.rejected";

    private static Map<String, Object> minimal() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, "broker-1:9092");
        settings.put("schema.registry.url", "http://registry:8081");
        return settings;
    }

    private static StreamsConfig streams(Map<String, Object> settings, Replication replication) {
        return new StreamsConfig(new ProcessorsConfig(settings).streamsProperties(REJECTED, replication));
    }

    @Test
    void internalTopicsGetTheResolvedFactorAndFromThreeReplicasOnAMinIsr() {
        StreamsConfig onThree = streams(minimal(), Replication.of((short) 3));
        StreamsConfig onOne = streams(minimal(), Replication.of((short) 1));

        assertThat(onThree.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(onThree.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX)).containsEntry("min.insync.replicas", "2");
        assertThat(onOne.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
        assertThat(onOne.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX)).doesNotContainKey("min.insync.replicas");
    }

    @Test
    void byDefaultOneStandbyAndASessionThatMovesAKilledInstancesTasksWithinSeconds() {
        StreamsConfig streams = streams(minimal(), Replication.of((short) 3));
        Map<String, Object> mainConsumer = streams.getMainConsumerConfigs("idstream-processors", "client", 0);

        assertThat(streams.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(mainConsumer).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    }

    @Test
    void standbysAndTheSessionAreOverridable() {
        Map<String, Object> settings = minimal();
        settings.put(StreamsResilience.NUM_STANDBY_REPLICAS, "2");
        settings.put(StreamsResilience.SESSION_TIMEOUT_MS, "30000");
        settings.put(StreamsResilience.HEARTBEAT_INTERVAL_MS, "10000");

        StreamsConfig streams = streams(settings, Replication.of((short) 3));
        Map<String, Object> mainConsumer = streams.getMainConsumerConfigs("idstream-processors", "client", 0);

        assertThat(streams.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(2);
        assertThat(mainConsumer).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 10_000);
    }

    @Test
    void rackAwarenessReachesStreamsAndItsGroupMember() {
        Map<String, Object> settings = minimal();
        settings.put(ConsumerConfig.CLIENT_RACK_CONFIG, "eu-west-1a");
        settings.put(StreamsConfig.RACK_AWARE_ASSIGNMENT_TAGS_CONFIG, "zone,cluster");
        settings.put(StreamsConfig.clientTagPrefix("zone"), "eu-west-1a");
        settings.put(StreamsConfig.clientTagPrefix("cluster"), "blue");
        settings.put(StreamsConfig.RACK_AWARE_ASSIGNMENT_STRATEGY_CONFIG,
                StreamsConfig.RACK_AWARE_ASSIGNMENT_STRATEGY_BALANCE_SUBTOPOLOGY);

        StreamsConfig streams = streams(settings, Replication.of((short) 3));

        assertThat(streams.getList(StreamsConfig.RACK_AWARE_ASSIGNMENT_TAGS_CONFIG)).containsExactly("zone", "cluster");
        assertThat(streams.getClientTags()).containsExactlyInAnyOrderEntriesOf(
                Map.of("zone", "eu-west-1a", "cluster", "blue"));
        assertThat(streams.getString(StreamsConfig.RACK_AWARE_ASSIGNMENT_STRATEGY_CONFIG))
                .isEqualTo(StreamsConfig.RACK_AWARE_ASSIGNMENT_STRATEGY_BALANCE_SUBTOPOLOGY);
        assertThat(streams.getMainConsumerConfigs("idstream-processors", "client", 0))
                .containsEntry(ConsumerConfig.CLIENT_RACK_CONFIG, "eu-west-1a");
    }

    @Test
    void aSettingThatWeakensWritesIsRefusedByName() {
        for (Map.Entry<String, String> weakening : Map.of(ProducerConfig.ACKS_CONFIG, "1",
                "producer." + ProducerConfig.ACKS_CONFIG, "0",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                "producer." + ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false").entrySet()) {
            Map<String, Object> settings = minimal();
            settings.put(weakening.getKey(), weakening.getValue());
            ProcessorsConfig config = new ProcessorsConfig(settings);

            assertThatThrownBy(() -> config.streamsProperties(REJECTED, Replication.of((short) 3)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("Invalid value " + weakening.getValue() + " for configuration "
                            + weakening.getKey() + ":");
        }
    }
}
