package io.idstream.it.attacks;

import io.idstream.platform.Platform;
import io.idstream.sdk.OperatorClient;
import io.idstream.topics.ClientQuotas;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flooding the secure platform's brokers as a consumer: every registered consumer may write the requests topic, to
 * any holder, as fast as its connection goes. The Kafka user that {@code identity create} makes for a consumer has
 * client quotas, so the broker throttles a consumer that writes faster than a megabyte a second, before the
 * processors ever read the flood.
 */
@Timeout(120)
class ConsumerFloodQuotaAttackIT {
    static final int RECORD_BYTES = 8 * 1024;
    /**
     * 24 MiB: the broker measures a new client's rate over its whole quota window (ten seconds by default), so a
     * burst is throttled at once only when it holds more than ten seconds' worth of the quota.
     */
    static final int RECORDS = 3 * 1024;

    @Test
    void aConsumerWritingRequestsFasterThanItsQuotaIsThrottledByTheBroker(@TempDir Path dataDir) throws Exception {
        try (Platform platform = SecurePlatformLogins.start(dataDir, Map.of())) {
            Properties exchange;
            try (OperatorClient operator = new OperatorClient(platform.operatorKey(), platform.clientProperties())) {
                exchange = operator.createKafkaUser("exchange-a", "consumer");
            }
            String requests = platform.catalog().accessRequests().name();
            try (Admin admin = Admin.create(platform.clientProperties())) {
                assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                        ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "exchange-a")))).entities().get())
                        .as("exchange-a's client quotas on the broker").containsValue(Map.of(
                                "producer_byte_rate", (double) ClientQuotas.CONSUMER_PRODUCER_BYTE_RATE,
                                "request_percentage", ClientQuotas.CONSUMER_REQUEST_PERCENTAGE));
            }

            Map<String, Object> configs = new HashMap<>();
            exchange.forEach((key, value) -> configs.put((String) key, value));
            configs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
            configs.put(ProducerConfig.ACKS_CONFIG, "all");
            double throttledMs;
            try (KafkaProducer<String, byte[]> flood = new KafkaProducer<>(configs, new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    flood.send(new ProducerRecord<>(requests, "alice", new byte[RECORD_BYTES]));
                }
                flood.flush();
                throttledMs = flood.metrics().values().stream()
                        .filter(m -> m.metricName().name().equals("produce-throttle-time-max")
                                && m.metricName().group().equals("producer-metrics"))
                        .map(Metric::metricValue).mapToDouble(v -> (Double) v).max().orElse(0);
            }

            assertThat(throttledMs).as("the longest the broker throttled exchange-a's %d KiB of requests, in ms",
                    RECORDS * RECORD_BYTES / 1024).isGreaterThan(0);
        }
    }
}
