package io.idstream.it.processors;

import io.idstream.it.StoryClients;
import io.idstream.avro.NoticeKind;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IssuerClient;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.PartitionReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A holder erases a credential through the SDK on the embedded platform (a real broker, registry and the processors):
 * the compacted vault topic gets a tombstone for it, a consumer request that was waiting on it ends with ERASED and
 * no delivery, and the holder's client no longer lists it (but still lists the credential that was not erased).
 */
@Timeout(120)
class ErasureIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    static final String TOMBSTONE = "a tombstone";

    @TempDir
    Path dir;

    @Test
    void erasureTombstonesTheVaultEndsTheWaitingRequestAndLeavesTheHoldersList() throws Exception {
        try (Platform platform = StoryClients.startPlatform(dir.resolve("data"));
             FlowClients flows = new FlowClients(platform)) {
            try (StoryClients story = new StoryClients(platform, dir.resolve("keys"))) {
                IssuerClient issuer = story.issuer;
                HolderClient alice = story.alice;
                ConsumerClient exchange = story.exchange;
                String kept = issuer.issue("alice", "address", Map.of("city", "Berlin"), 0L);
                String erased = issuer.issue("alice", "kyc", Map.of("country", "DE", "age_over_18", "true"), 0L);
                alice.awaitCredential(kept, WAIT);
                alice.awaitCredential(erased, WAIT);
                assertThat(alice.credentials().keySet()).as("the holder's credentials before the erasure")
                        .containsExactlyInAnyOrder(kept, erased);

                // Given a request waiting on the credential: the holder has not decided.
                String waiting = exchange.requestCredential("alice", erased, List.of("country"), "onboarding");
                alice.awaitPending(waiting, WAIT);

                // When the holder erases the credential, and the processors have processed everything sent.
                alice.erase(erased);
                flows.awaitProcessed(FlowClients.EMBEDDED_PROCESSORS, WAIT);

                // Then the vault topic, compacted, ends the credential's key with a tombstone.
                assertThat(cleanupPolicy(platform, platform.catalog().credentialsStored().name()))
                        .as("cleanup policy of the vault topic").isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
                List<ConsumerRecord<String, byte[]>> vault = readRaw(platform,
                        platform.catalog().credentialsStored().name());
                assertThat(valuesOf(vault, HolderKeys.of("alice", erased)))
                        .as("values of the erased credential's key, oldest first").last()
                        .as("the last value of the erased credential's key").isEqualTo(TOMBSTONE);
                assertThat(valuesOf(vault, HolderKeys.of("alice", kept)))
                        .as("values of the kept credential's key").isNotEmpty().doesNotContain(TOMBSTONE);

                // And the consumer heard PENDING then ERASED for the waiting request, and received no delivery.
                List<DeliveryOutcome> outcomes = flows.deliveries("exchange-a").stream().map(exchange::verify)
                        .toList();
                assertThat(outcomes).as("everything on the consumer's delivery topic")
                        .allSatisfy(outcome -> assertThat(outcome.requestId()).isEqualTo(waiting))
                        .noneMatch(DeliveryOutcome.Delivered.class::isInstance)
                        .extracting(outcome -> outcome instanceof DeliveryOutcome.Notice notice ? notice.kind() : null)
                        .containsExactly(NoticeKind.PENDING, NoticeKind.ERASED);

                // And the holder's client lists the kept credential only, once the gateway's vault view has it.
                Awaitility.await("the erasure in the gateway's vault view").atMost(WAIT).untilAsserted(() ->
                        assertThat(alice.credentials().keySet()).as("the holder's credentials after the erasure")
                                .containsExactly(kept));
            }
        }
    }

    /** What each record of the key holds, oldest first: a stored credential or a tombstone (bytes never shown). */
    private static List<String> valuesOf(List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().filter(r -> r.key().equals(key))
                .map(r -> r.value() == null ? TOMBSTONE : "a stored credential").toList();
    }

    /** Every committed record of the topic, key as text and value as raw bytes (null for a tombstone). */
    private static List<ConsumerRecord<String, byte[]>> readRaw(Platform platform, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            PartitionReader.readToEnd(reader, PartitionReader.partitionsOf(reader, topic, WAIT), WAIT, records::add);
        }
        return records;
    }

    private static String cleanupPolicy(Platform platform, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            return config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        }
    }

}
