package io.idstream.it.attacks;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.Accreditation;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.it.StoryClients;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.Party;
import io.idstream.processors.TopologyHarness;
import io.idstream.processors.directory.VerifiedDirectoryLoader;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Replication;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Taking over a principal's id through the directory, on the embedded platform, by someone who can write to any
 * partition of any topic (an independent Kafka client on a cluster without ACLs). A record written to a partition its
 * key does not hash to reaches a task that has never seen the id, so the processors refuse it as
 * {@code wrong-partition} on every input topic; a forged issuer's or consumer's entry written straight to
 * {@code directory.global}, which the processors load as the directory every task trusts, is not loaded unless its
 * signatures verify; a holder's entry there is never loaded, since a task takes its holders from its own partition's
 * state; and {@code directory.verified}, which the processors only write, gives them nothing.
 */
@Timeout(180)
class DirectoryHijackAttackIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void recordsWrittenToAnotherPartitionThanTheirKeysAreRefusedAndTakeNoId() throws Exception {
        try (Platform platform = TestPlatforms.startWithProcessors(dir.resolve("data"));
             RawClient raw = new RawClient(platform)) {
            TopicCatalog catalog = platform.catalog();
            Party alice = new Party("alice", "holder");
            Party issuer = new Party("kyc-co", "issuer");
            Party exchange = new Party("exchange-a", "consumer");
            raw.send(catalog.directory(), null, alice.id, new DirectoryEvent(alice.registration(now())));
            raw.send(catalog.directory(), null, issuer.id, new DirectoryEvent(issuer.registration(now())));
            raw.send(catalog.directory(), null, issuer.id,
                    new DirectoryEvent(issuer.accreditationBy(platform.operatorKey(), now())));
            raw.send(catalog.directory(), null, exchange.id, new DirectoryEvent(exchange.registration(now())));
            Awaitility.await("alice, kyc-co (accredited) and exchange-a verified").atMost(WAIT)
                    .until(() -> {
                        Map<String, VerifiedPrincipal> verified = raw.latestVerified();
                        return verified.keySet().containsAll(List.of(alice.id, issuer.id, exchange.id))
                                && verified.get(issuer.id).getAccreditation() != null;
                    });

            // When an attacker writes, to a partition other than the one "alice" hashes to, a self-signed registration
            // of alice with its own keys, and alice's records on the holder-scoped topics likewise.
            int wrong = (HolderKeys.partitionOf(alice.id, catalog.partitions()) + 1) % catalog.partitions();
            Party attacker = new Party(alice.id, "holder");
            raw.send(catalog.directory(), wrong, alice.id, new DirectoryEvent(attacker.registration(now())));
            raw.send(catalog.credentialsIssued(), wrong, alice.id, new IssuanceEvent(CredentialRecords.toAvro(
                    Credentials.issue(issuer.signing, new CredentialHeader(UUID.randomUUID().toString(), alice.id,
                            issuer.id, "kyc", now(), 0L), alice.encryption.publicKey(), Map.of("country", "DE")))));
            raw.send(catalog.accessRequests(), wrong, alice.id, TopologyHarness.signedRequest(exchange, alice, "kyc",
                    "", List.of("country"), now()));
            raw.send(catalog.accessDecisions(), wrong, alice.id, new DecisionEvent(DecisionRecords.denial(
                    alice.signing, UUID.randomUUID().toString(), alice.id, now())));

            // Then each is refused as wrong-partition, and the verified directory still binds alice to her own key.
            List<String> inputs = List.of(catalog.directory().name(), catalog.credentialsIssued().name(),
                    catalog.accessRequests().name(), catalog.accessDecisions().name());
            Awaitility.await("the four records on a wrong partition refused").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(raw.rejections())
                            .containsExactlyInAnyOrderElementsOf(inputs.stream()
                                    .map(topic -> new Rejected(topic, Integer.toString(wrong), "wrong-partition"))
                                    .toList()));
            assertThat(raw.latestVerified().get(alice.id).getPrincipal().getSigningKey())
                    .as("alice's signing key in the verified directory")
                    .isEqualTo(ByteBuffer.wrap(alice.signing.publicKey()));
        }
    }

    @Test
    void forgedEntriesWrittenStraightToTheGlobalDirectoryAreNotUsed() throws Exception {
        try (Platform platform = TestPlatforms.startWithProcessors(dir.resolve("data"));
             RawClient raw = new RawClient(platform);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     platform.bootstrapServers()))) {
            TopicCatalog catalog = platform.catalog();
            Party alice = new Party("alice", "holder");
            raw.send(catalog.directory(), null, alice.id, new DirectoryEvent(alice.registration(now())));
            Awaitility.await("alice verified").atMost(WAIT).until(() -> raw.latestVerified().containsKey(alice.id));

            // Given a consumer entry with no valid self-signature, and an issuer whose accreditation is signed by a key
            // that is not the operator's, both written straight to the global directory; and the forged consumer's
            // delivery topic, which an attacker on an open cluster can create.
            Party mallory = new Party("mallory", "consumer");
            Principal unsigned = Principal.newBuilder(mallory.registration(now()))
                    .setSignature(ByteBuffer.wrap(new byte[64])).build();
            raw.send(catalog.directoryGlobal(), null, mallory.id,
                    new VerifiedPrincipal(unsigned, null, now(), null, 0L, List.of()));
            Party fakeIssuer = new Party("fake-kyc", "issuer");
            Accreditation selfAccredited = fakeIssuer.accreditationBy(SigningKeyPair.generate(), now());
            raw.send(catalog.directoryGlobal(), null, fakeIssuer.id,
                    new VerifiedPrincipal(fakeIssuer.registration(now()), selfAccredited, now(), null, 0L, List.of()));
            admin.createTopics(List.of(catalog.deliveries(mallory.id).newTopic(Replication.of((short) 1)))).all().get();

            // When the forged consumer asks alice for a credential and the forged issuer issues her one.
            AccessRequest request = TopologyHarness.signedRequest(mallory, alice, "kyc", "", List.of("country"), now());
            raw.send(catalog.accessRequests(), null, alice.id, request);
            Credentials.IssuedCredential credential = Credentials.issue(fakeIssuer.signing, new CredentialHeader(
                    UUID.randomUUID().toString(), alice.id, fakeIssuer.id, "kyc", now(), 0L),
                    alice.encryption.publicKey(), Map.of("country", "DE"));
            raw.send(catalog.credentialsIssued(), null, alice.id,
                    new IssuanceEvent(CredentialRecords.toAvro(credential)));

            // Then both are refused as from unknown principals: mallory hears nothing, and nothing is stored.
            String storedKey = HolderKeys.of(alice.id, credential.header().credentialId());
            Awaitility.await("the request and the credential answered").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        List<String> answered = new ArrayList<>(raw.rejections().stream()
                                .map(Rejected::sourceTopic).toList());
                        if (!raw.readToEnd(catalog.deliveries(mallory.id)).isEmpty()) {
                            answered.add("mallory's delivery topic");
                        }
                        if (raw.readToEnd(catalog.credentialsStored()).stream()
                                .anyMatch(r -> r.key().equals(storedKey))) {
                            answered.add("the vault");
                        }
                        return answered.size() >= 2;
                    });
            assertThat(raw.rejections()).as("rejections")
                    .extracting(Rejected::sourceTopic, Rejected::reason)
                    .containsExactlyInAnyOrder(tuple(catalog.accessRequests().name(), "unknown-principal"),
                            tuple(catalog.credentialsIssued().name(), "unknown-principal"));
            List<DeliveryEvent> toMallory = raw.readToEnd(catalog.deliveries(mallory.id)).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(toMallory).as("what the forged consumer received").isEmpty();
            List<ConsumerRecord<String, StoredCredential>> stored = raw.readToEnd(catalog.credentialsStored());
            assertThat(stored).as("the vault").noneMatch(r -> r.key().equals(storedKey));
        }
    }

    @Test
    void aHoldersEntryOnTheGlobalDirectoryIsRefusedAndTheVerifiedDirectoryGivesTheProcessorsNothing()
            throws Exception {
        try (Platform platform = TestPlatforms.startWithProcessors(dir.resolve("data"));
             RawClient raw = new RawClient(platform);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     platform.bootstrapServers()))) {
            TopicCatalog catalog = platform.catalog();
            Party alice = new Party("alice", "holder");
            Party issuer = new Party("kyc-co", "issuer");
            raw.send(catalog.directory(), null, alice.id, new DirectoryEvent(alice.registration(now())));
            raw.send(catalog.directory(), null, issuer.id, new DirectoryEvent(issuer.registration(now())));
            raw.send(catalog.directory(), null, issuer.id,
                    new DirectoryEvent(issuer.accreditationBy(platform.operatorKey(), now())));
            Awaitility.await("alice and kyc-co (accredited) verified").atMost(WAIT).until(() -> {
                Map<String, VerifiedPrincipal> verified = raw.latestVerified();
                return verified.containsKey(alice.id) && verified.containsKey(issuer.id)
                        && verified.get(issuer.id).getAccreditation() != null;
            });

            // Given a holder's entry, self-signed as a genuine registration is, written straight to the global
            // directory; and a consumer's, as well signed, written straight to the verified directory with the
            // consumer's delivery topic, which an attacker on an open cluster can create.
            Party bob = new Party("bob", "holder");
            raw.send(catalog.directoryGlobal(), null, bob.id,
                    new VerifiedPrincipal(bob.registration(now()), null, now(), null, 0L, List.of()));
            Party mallory = new Party("mallory", "consumer");
            raw.send(catalog.directoryVerified(), null, mallory.id,
                    new VerifiedPrincipal(mallory.registration(now()), null, now(), null, 0L, List.of()));
            admin.createTopics(List.of(catalog.deliveries(mallory.id).newTopic(Replication.of((short) 1)))).all().get();

            // When kyc-co issues bob a credential, and mallory asks alice for one.
            Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, new CredentialHeader(
                    UUID.randomUUID().toString(), bob.id, issuer.id, "kyc", now(), 0L),
                    bob.encryption.publicKey(), Map.of("country", "DE"));
            raw.send(catalog.credentialsIssued(), null, bob.id,
                    new IssuanceEvent(CredentialRecords.toAvro(credential)));
            raw.send(catalog.accessRequests(), null, alice.id,
                    TopologyHarness.signedRequest(mallory, alice, "kyc", "", List.of("country"), now()));

            // Then the global directory's loader refused bob's entry and counted it, bob is unknown to the task that
            // owns him, and mallory is unknown to alice's.
            Awaitility.await("the credential and the request refused, an entry of the global directory refused")
                    .atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> raw.rejections().size() >= 2 && refusedEntries(platform) >= 1);
            assertThat(raw.rejections()).as("rejections")
                    .extracting(Rejected::sourceTopic, Rejected::reason)
                    .containsExactlyInAnyOrder(tuple(catalog.credentialsIssued().name(), "unknown-holder"),
                            tuple(catalog.accessRequests().name(), "unknown-principal"));
            assertThat(refusedEntries(platform)).as(VerifiedDirectoryLoader.REFUSED_METRIC).isEqualTo(1.0);
            assertThat(raw.readToEnd(catalog.deliveries(mallory.id))).as("what mallory received").isEmpty();
        }
    }

    /** How many entries of the global directory the processors' loader refused. */
    private static double refusedEntries(Platform platform) {
        return platform.processors().streams().metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals(VerifiedDirectoryLoader.REFUSED_METRIC))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** A record on the rejected topic: where it was read, and why it was refused. */
    private record Rejected(String sourceTopic, String sourcePartition, String reason) {
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** An independent Kafka client: writes any topic, to a partition of its choosing, and reads topics to the end. */
    private static final class RawClient implements AutoCloseable {
        private final Platform platform;
        private final List<KafkaProducer<?, ?>> producers = new ArrayList<>();

        RawClient(Platform platform) {
            this.platform = platform;
        }

        <V> void send(Topic<String, V> topic, Integer partition, String key, V value) throws Exception {
            KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), topic.valueSerde().serializer());
            producers.add(producer);
            producer.send(new ProducerRecord<>(topic.name(), partition, key, value)).get();
        }

        Map<String, VerifiedPrincipal> latestVerified() {
            Map<String, VerifiedPrincipal> latest = new HashMap<>();
            readToEnd(platform.catalog().directoryVerified()).forEach(r -> latest.put(r.key(), r.value()));
            return latest;
        }

        List<Rejected> rejections() {
            return readToEnd(platform.catalog().rejected()).stream().map(r -> new Rejected(
                    header(r, GuardedProcessor.SOURCE_TOPIC_HEADER),
                    header(r, GuardedProcessor.SOURCE_PARTITION_HEADER),
                    header(r, GuardedProcessor.REASON_HEADER))).toList();
        }

        private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }

        <K, V> List<ConsumerRecord<K, V>> readToEnd(Topic<K, V> topic) {
            return StoryClients.readToEnd(platform.bootstrapServers(), topic);
        }

        @Override
        public void close() {
            producers.forEach(KafkaProducer::close);
        }
    }
}
