package io.idstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.bench.pipeline.RunEvidence;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.Identity;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's smoke run, as CI runs it: a platform in a second JVM, every phase, every figure written. Its
 * figures are not asserted (a shared CI machine proves nothing about speed), and its own counters are not trusted:
 * the run's platform data is started again and the delivery topics read to their ends, so that the deliveries the
 * run counted are shown to be there, each once, and a sample of them is verified here, as its consumer verifies it.
 */
@Timeout(300)
class BenchCommandIT {
    private static final int SAMPLE = 20;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void quickRunWritesEveryFigureAndItsDeliveriesVerifyHere() throws Exception {
        Path out = dir.resolve("results").resolve("quick.json");
        Path evidence = dir.resolve("evidence");
        CliRun bench = CliRun.of("bench", "--quick", "--out", out.toString(), "--evidence", evidence.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(out.toFile());
        for (String key : List.of("deliveries_per_sec", "cpu_us_per_delivery", "ed25519_verify_us",
                "cpu_per_delivery_vs_verify", "request_p99_ms", "approval_p99_ms", "raw_kafka_per_sec",
                "grant_ms_1kb", "grant_ms_1mb", "copy_reencrypt_ms_1mb", "peak_rss_mb")) {
            assertThat(results.path(key).asDouble()).as(key).isPositive();
        }
        assertThat(results.path("verify_failures").asInt()).isZero();
        assertThat(results.path("verified_sample").asInt()).isPositive();
        assertThat(results.path("nodes").asInt()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("results").resolve("quick.md")))
                .contains("| verified deliveries/s (steady state) |", "| Kafka nodes | 1 (nothing replicated) |");

        List<String> timedRequests = Files.readAllLines(RunEvidence.steadyRequestIds(evidence));
        assertThat(timedRequests.size()).as("the timed run's requests").isEqualTo(results.path("requests").asInt());
        List<String> consumers;
        try (var entries = Files.list(RunEvidence.keys(evidence))) {
            consumers = entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(consumers).hasSize(results.path("consumers").asInt());

        try (Platform platform = restart(RunEvidence.platformData(evidence))) {
            Set<String> timed = new HashSet<>(timedRequests);
            List<String> deliveredOnTopics = new ArrayList<>();
            int verifiedHere = 0;
            for (String consumer : consumers) {
                List<DeliveryEvent> timedDeliveries = readToEnd(platform, platform.catalog().deliveries(consumer))
                        .stream().filter(e -> e.getEvent() instanceof CredentialDelivery d
                                && timed.contains(d.getRequestId())).toList();
                timedDeliveries.forEach(e -> deliveredOnTopics.add(((CredentialDelivery) e.getEvent())
                        .getRequestId()));
                // Spread over the topic, an equal share of the sample for every consumer.
                int step = Math.max(1, timedDeliveries.size() / Math.max(1, SAMPLE / consumers.size()));
                try (ConsumerClient client = new ConsumerClient(Identity.load(RunEvidence.keys(evidence), consumer),
                        platform.clientProperties())) {
                    for (int i = 0; i < timedDeliveries.size(); i += step) {
                        DeliveryEvent event = timedDeliveries.get(i);
                        // The bench signed its requests itself, not through this client.
                        client.expect(((CredentialDelivery) event.getEvent()).getRequestId());
                        assertThat(client.verify(event)).as("delivery of %s to %s",
                                        ((CredentialDelivery) event.getEvent()).getRequestId(), consumer)
                                .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class, delivered -> assertThat(
                                        delivered.values()).isEqualTo(Map.of("age_over_18", "true", "country",
                                        "DE")));
                        verifiedHere++;
                    }
                }
            }
            assertThat(verifiedHere).as("deliveries verified here").isGreaterThanOrEqualTo(SAMPLE);

            // The figure the run printed is the number of its timed requests' deliveries on the topics, each once.
            assertThat(deliveredOnTopics.size()).as("deliveries of the timed requests on the consumers' topics")
                    .isEqualTo(results.path("delivered").asInt());
            Map<String, Long> deliveriesPerRequest = deliveredOnTopics.stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(deliveriesPerRequest.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
                    .as("timed requests delivered more than once").isEmpty();
            assertThat(timedRequests.stream().filter(id -> !deliveriesPerRequest.containsKey(id)))
                    .as("timed requests with no delivery on the topics").isEmpty();
        }
    }

    /** The run's platform again, on its kept data, without processors: the topics hold what the run left. */
    private static Platform restart(Path data) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(PlatformConfig.DATA_DIR, data.toString());
        settings.put(PlatformConfig.KAFKA_PORT, Ports.freePort());
        settings.put(PlatformConfig.REGISTRY_PORT, 0);
        settings.put(PlatformConfig.PROCESSORS_ENABLED, false);
        return Platform.start(new PlatformConfig(settings));
    }

    /** Every committed record of the topic, up to its end offsets. */
    private static List<DeliveryEvent> readToEnd(Platform platform, Topic<String, DeliveryEvent> topic) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<DeliveryEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, DeliveryEvent> consumer = new KafkaConsumer<>(configs, new StringDeserializer(),
                topic.valueSerde().deserializer())) {
            PartitionReader.readToEnd(consumer, PartitionReader.partitionsOf(consumer, topic.name(), READ_TIMEOUT),
                    READ_TIMEOUT, record -> {
                        if (record.value() != null) {
                            events.add(record.value());
                        }
                    });
        }
        return events;
    }
}
