package io.idstream.sdk;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An issuer's issuance waits for the processors' word on its notice topic and returns it: the refusal with its reason
 * code and detail, or the credential stored, and only the word about the credential it sent. The platform runs
 * without processors; a stand-in reads the credential the issuer sent and answers on the notice topic, a notice
 * about another credential first, as the processors would write them.
 */
class IssuanceOutcomeIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static Platform platform;
    static KafkaProducer<String, byte[]> processorsOutput;

    final DeliveryFixture fixture = new DeliveryFixture();
    final ExecutorService standIn = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = TestPlatforms.start(dataDir);
        processorsOutput = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                new ByteArraySerializer());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            new TopicProvisioner(admin, WAIT).provision(List.of(platform.catalog().issuerNotices("kyc-co")));
        }
    }

    @AfterAll
    static void stopPlatform() {
        if (processorsOutput != null) {
            processorsOutput.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @AfterEach
    void stopStandIn() throws InterruptedException {
        standIn.shutdownNow();
        assertThat(standIn.awaitTermination(10, TimeUnit.SECONDS)).as("the stand-in stopped").isTrue();
    }

    /**
     * Answers the next credential issued to the holder, as the processors would: a CREDENTIAL_STORED notice about
     * another credential, then {@code kind} with {@code reason} about the one sent; returns that credential's id.
     */
    private CompletableFuture<String> processorsAnswer(IssuerNoticeKind kind, String reason, String detail) {
        Topic<String, IssuanceEvent> issued = platform.catalog().credentialsIssued();
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(issued.name(), partitionOfHolder());
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        return CompletableFuture.supplyAsync(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        Object event = issued.valueSerde().deserializer().deserialize(issued.name(), record.value())
                                .getEvent();
                        if (event instanceof CredentialIssued credential) {
                            notice(IssuerNoticeKind.CREDENTIAL_STORED, UUID.randomUUID().toString(), "", "stored");
                            notice(kind, credential.getCredentialId(), reason, detail);
                            return credential.getCredentialId();
                        }
                    }
                }
                throw new IllegalStateException("interrupted before a credential was issued");
            }
        }, standIn);
    }

    private static int partitionOfHolder() {
        return HolderKeys.partitionOf("alice", platform.catalog().partitions());
    }

    private static void notice(IssuerNoticeKind kind, String credentialId, String reason, String detail) {
        Topic<String, IssuerNotice> notices = platform.catalog().issuerNotices("kyc-co");
        IssuerNotice notice = new IssuerNotice(kind, "kyc-co", "alice", credentialId, "", "", List.of(), reason,
                detail, 0L, System.currentTimeMillis());
        try {
            processorsOutput.send(new ProducerRecord<>(notices.name(), partitionOfHolder(), "alice",
                    notices.valueSerde().serializer().serialize(notices.name(), notice))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the notice", e);
        }
    }

    private IssuerClient issuer() throws Exception {
        Topic<String, VerifiedPrincipal> directory = platform.catalog().directoryVerified();
        processorsOutput.send(new ProducerRecord<>(directory.name(), HolderKeys.partitionOf("alice",
                platform.catalog().partitions()), "alice", directory.valueSerde().serializer().serialize(
                directory.name(), TrustedDirectory.entry("alice", "holder", fixture.holder.signing())))).get();
        return new IssuerClient(new Identity("kyc-co", "issuer", fixture.issuer, EncryptionKeyPair.generate()),
                platform.clientProperties());
    }

    @Test
    void aRefusedCredentialReturnsTheProcessorsReason() throws Exception {
        CompletableFuture<String> answered = processorsAnswer(IssuerNoticeKind.CREDENTIAL_REFUSED, "no-write-grant",
                "alice has not allowed kyc-co to write kyc");

        try (IssuerClient kycCo = issuer()) {
            IssuanceOutcome outcome = kycCo.issueAndAwait("alice", "kyc", Map.of("country", "DE"), 0L, WAIT);

            assertThat(outcome).isEqualTo(new IssuanceOutcome(answered.get(10, TimeUnit.SECONDS), false,
                    "no-write-grant", "alice has not allowed kyc-co to write kyc"));
        }
    }

    @Test
    void aStoredCredentialIsReportedStored() throws Exception {
        CompletableFuture<String> stored = processorsAnswer(IssuerNoticeKind.CREDENTIAL_STORED, "", "stored");

        try (IssuerClient kycCo = issuer()) {
            IssuanceOutcome outcome = kycCo.issueAndAwait("alice", "kyc", Map.of("country", "DE"), 0L, WAIT);

            assertThat(outcome).isEqualTo(new IssuanceOutcome(stored.get(10, TimeUnit.SECONDS), true, "", "stored"));
        }
    }
}
