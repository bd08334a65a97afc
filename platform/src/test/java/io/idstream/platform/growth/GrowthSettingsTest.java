package io.idstream.platform.growth;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The clients a growth copies with. */
class GrowthSettingsTest {
    private final GrowthSettings settings = new GrowthSettings(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), "app-processors", "app-gateway",
            Duration.ofSeconds(5));

    /**
     * Retention may delete the segment the copy is reading: a consumer left at Kafka's default {@code latest} would
     * then jump to the partition's end and silently skip the rest.
     */
    @Test
    void theCopyReadsOnFromTheOldestRecordKeptWhenItsPositionIsDeleted() {
        assertThat(settings.consumerConfigs()).containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    /** A record that came compressed in a large batch is re-sent alone: it must fit one request of the copy. */
    @Test
    void theCopyCompressesAndSendsRequestsAsLargeAsAnyRecordKafkaTook() {
        Map<String, Object> producer = settings.producerConfigs();
        assertThat(producer).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        assertThat((Integer) producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)).isGreaterThanOrEqualTo(16 << 20);
    }
}
