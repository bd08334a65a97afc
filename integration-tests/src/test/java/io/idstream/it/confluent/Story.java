package io.idstream.it.confluent;

import io.idstream.it.StoryClients;
import io.idstream.avro.NoticeKind;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.KafkaGateway;
import io.idstream.sdk.OperatorClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole story on the platform through the SDK's clients, so that every topic holds records: an issuer, a holder
 * and a consumer register, the holder allows the issuer to write, the issuer is accredited and issues two credentials
 * and revokes one; a request is approved and delivered, another denied; the grant is revoked, the credential erased;
 * the holder backs its keys up; and a poison record is written to the requests topic, which the processors move to
 * the rejected topic.
 */
final class Story {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String HOLDER = "py-holder";
    static final String CONSUMER = "py-consumer";
    static final byte[] POISON = "not an avro record".getBytes(StandardCharsets.UTF_8);

    /** Where the poison record went on the requests topic. */
    final RecordMetadata poison;

    private Story(RecordMetadata poison) {
        this.poison = poison;
    }

    static Story run(Platform platform, Path keys) throws Exception {
        Properties client = platform.clientProperties();
        client.put(KafkaGateway.TIMEOUT_CONFIG, "30000");
        try (IssuerClient issuer = new IssuerClient(Identity.create(keys, "py-issuer", "issuer"), client);
             HolderClient holder = StoryClients.holder(platform, Identity.create(keys, HOLDER, "holder"));
             ConsumerClient consumer = new ConsumerClient(Identity.create(keys, CONSUMER, "consumer"), client)) {
            issuer.register("Issuer");
            holder.register("Holder");
            consumer.register("Consumer");
            try (OperatorClient operator = new OperatorClient(platform.operatorKey(), client)) {
                operator.accredit("py-issuer");
                operator.accredit(CONSUMER);
            }
            StoryClients.allowToWrite(holder, issuer, List.of("address", "kyc"));
            String kyc = issuer.issue(HOLDER, "kyc", Map.of("country", "DE", "full_name", "Alice Example"), 0L);
            String address = issuer.issue(HOLDER, "address", Map.of("city", "Berlin"), 0L);
            holder.awaitCredential(kyc, WAIT);
            holder.awaitCredential(address, WAIT);
            issuer.revoke(HOLDER, address, "superseded");
            awaitTopic(platform, platform.catalog().deliveries(CONSUMER).name());

            try (ConsumerClient.Subscription deliveries = consumer.subscribe(CONSUMER + ".story")) {
                String approved = consumer.request(HOLDER, "kyc", List.of("country"), "onboarding");
                holder.awaitPending(approved, WAIT);
                String grant = holder.approve(approved, new HolderClient.Scope(null, Duration.ofDays(1), 5));
                assertThat(deliveries.await(approved, DeliveryOutcome.Delivered.class::isInstance, WAIT))
                        .as("delivery of " + approved).isPresent();

                String denied = consumer.request(HOLDER, "kyc", List.of("full_name"), "marketing");
                holder.awaitPending(denied, WAIT);
                holder.deny(denied);
                assertThat(deliveries.await(denied, o -> o instanceof DeliveryOutcome.Notice n
                        && n.kind() == NoticeKind.DENIED, WAIT)).as("denial of " + denied).isPresent();

                holder.revoke(grant);
                Awaitility.await("grant " + grant + " revoked").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> !holder.activeGrants().containsKey(grant));
                holder.erase(kyc);
                Awaitility.await("credential " + kyc + " erased").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> !holder.credentials().containsKey(kyc));
            }
            // The holder's keys, sealed under a passphrase, on the platform's backup topic.
            holder.backup("the story's own passphrase".toCharArray());
            Awaitility.await(HOLDER + "'s backup stored").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> StoryClients.readToEnd(platform.bootstrapServers(),
                            platform.catalog().holderBackups()).stream().anyMatch(r -> r.key().equals(HOLDER)));
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            return new Story(producer.send(new ProducerRecord<>(platform.catalog().accessRequests().name(),
                    HOLDER.getBytes(StandardCharsets.UTF_8), POISON)).get());
        }
    }

    private static void awaitTopic(Platform platform, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.bootstrapServers()))) {
            Awaitility.await("topic " + topic + " created").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.listTopics().names().get().contains(topic));
        }
    }
}
