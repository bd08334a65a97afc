package io.idstream.it.attacks;

import io.idstream.it.StoryClients;
import io.idstream.avro.AccessRequest;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.RequestRecords;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IssuerClient;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: a writer of a topic puts records that do not decode (not Avro, an unknown schema id, another record's
 * schema) into the partition of alice's inbox and of exchange-a's delivery topic. A reader that stops at the first
 * record it cannot decode would then fail on that partition forever: alice would never see a request again and
 * exchange-a would never receive another delivery. Alice reads her inbox through the holder gateway, whose views skip
 * such a record (and log it) and go on serving; exchange-a's client skips it and reports it once, by position.
 */
@Timeout(180)
class PoisonRecordAttackIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NOT_AVRO_TEXT = "this is not an Avro record";

    @TempDir
    Path dir;

    @Test
    void recordsThatDoNotDecodeAreSkippedWhileTheGatewaysInboxAndTheDeliveriesGoOn() throws Exception {
        try (Platform platform = StoryClients.startPlatform(dir.resolve("data"))) {
            try (StoryClients story = new StoryClients(platform, dir.resolve("keys"))) {
                IssuerClient issuer = story.issuer;
                HolderClient alice = story.alice;
                ConsumerClient exchange = story.exchange;
                Topic<String, ?> deliveries = platform.catalog().deliveries("exchange-a");
                String credentialId = issuer.issue("alice", "kyc", Map.of("country", "DE"), 0L);
                alice.awaitCredential(credentialId, WAIT);

                // Given poison in the partition of alice's inbox and in exchange-a's delivery topic.
                List<RecordMetadata> poison = new ArrayList<>();
                poison.addAll(writePoison(platform, platform.catalog().holderInbox(), "alice"));
                poison.addAll(writePoison(platform, deliveries, "alice"));

                // When exchange-a asks alice, and alice approves.
                try (ConsumerClient.Subscription subscription = exchange.subscribe("exchange-a.poison")) {
                    String requestId = exchange.request("alice", "kyc", List.of("country"), "onboarding");

                    // Then the gateway still serves alice's inbox, with her pending request, read twice.
                    assertThat(alice.awaitPending(requestId, WAIT).getRequest().getRequestId())
                            .as("the request alice's inbox shows").isEqualTo(requestId);
                    assertThat(alice.inbox()).as("alice's inbox, read again")
                            .extracting(p -> p.getRequest().getRequestId()).containsExactly(requestId);
                    alice.approve(requestId, new HolderClient.Scope(null, Duration.ofDays(1), 1));

                    // And exchange-a receives and verifies the delivery, told of each poison record on the way.
                    List<DeliveryOutcome> outcomes = new ArrayList<>();
                    Awaitility.await("exchange-a's delivery of " + requestId).atMost(WAIT).pollInSameThread()
                            .pollInterval(Duration.ZERO).until(() -> {
                                outcomes.addAll(subscription.poll(Duration.ofMillis(200)));
                                return outcomes.stream().anyMatch(o -> o instanceof DeliveryOutcome.Delivered);
                            });
                    assertThat(outcomes).filteredOn(DeliveryOutcome.Delivered.class::isInstance)
                            .singleElement().extracting(o -> ((DeliveryOutcome.Delivered) o).values())
                            .as("the verified values of the delivery").isEqualTo(Map.of("country", "DE"));
                    for (RecordMetadata bad : poison.subList(3, 6)) {
                        assertThat(outcomes).filteredOn(DeliveryOutcome.Refused.class::isInstance)
                                .as("refusals naming offset " + bad.offset() + " of " + bad.topic())
                                .extracting(o -> ((DeliveryOutcome.Refused) o).reason())
                                .filteredOn(reason -> reason.contains("offset " + bad.offset() + " ")
                                        && reason.contains(bad.topic() + " partition " + bad.partition()))
                                .hasSize(1);
                    }
                }

                // And alice's client was served nothing it had to skip: the poison stayed in the gateway.
                assertThat(alice.skippedRecords()).as("what alice's client skipped").isEmpty();
            }
        }
    }

    /**
     * Writes three records that do not decode as the topic's values into the partition of {@code holderId}: plain
     * text, a schema id the registry does not have, and another topic's record (a signed access request).
     */
    private static List<RecordMetadata> writePoison(Platform platform, Topic<String, ?> topic, String holderId)
            throws Exception {
        int partition = HolderKeys.partitionOf(holderId, topic.partitions());
        byte[] notAvro = NOT_AVRO_TEXT.getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchemaId = {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 2, 4, 6};
        AccessRequest request = RequestRecords.signed(SigningKeyPair.generate(), new RequestStatement(
                UUID.randomUUID().toString(), "stranger", holderId, "kyc", "", "anything", System.currentTimeMillis(),
                List.of("country")));
        byte[] otherSchema = platform.catalog().accessRequests().valueSerde().serializer()
                .serialize(platform.catalog().accessRequests().name(), request);
        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] value : List.of(notAvro, unknownSchemaId, otherSchema)) {
                written.add(producer.send(new ProducerRecord<>(topic.name(), partition, holderId, value)).get());
            }
        }
        return written;
    }
}
