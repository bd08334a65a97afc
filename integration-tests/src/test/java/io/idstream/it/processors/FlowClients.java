package io.idstream.it.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.platform.Platform;
import io.idstream.processors.Party;
import io.idstream.processors.TopologyHarness;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Issuers, holders and consumers talking to a running platform through plain Kafka clients. */
final class FlowClients implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Platform platform;
    private final KafkaProducer<String, DirectoryEvent> directory;
    private final KafkaProducer<String, IssuanceEvent> issuance;
    private final KafkaProducer<String, AccessRequest> requests;
    private final KafkaProducer<String, DecisionEvent> decisions;

    FlowClients(Platform platform) {
        this.platform = platform;
        this.directory = producer(platform.catalog().directory());
        this.issuance = producer(platform.catalog().credentialsIssued());
        this.requests = producer(platform.catalog().accessRequests());
        this.decisions = producer(platform.catalog().accessDecisions());
    }

    private <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), topic.valueSerde().serializer());
    }

    Party register(String id, String role) throws Exception {
        Party party = new Party(id, role);
        directory.send(new ProducerRecord<>(platform.catalog().directory().name(), id,
                new DirectoryEvent(party.registration(System.currentTimeMillis())))).get();
        return party;
    }

    void accredit(Party party) throws Exception {
        directory.send(new ProducerRecord<>(platform.catalog().directory().name(), party.id,
                new DirectoryEvent(party.accreditationBy(platform.operatorKey(), System.currentTimeMillis())))).get();
    }

    Credentials.IssuedCredential issue(Party issuer, Party holder, Map<String, String> fields) throws Exception {
        CredentialHeader header = new CredentialHeader(UUID.randomUUID().toString(), holder.id, issuer.id, "kyc",
                System.currentTimeMillis(), 0L);
        Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, header,
                holder.encryption.publicKey(), fields);
        issuance.send(new ProducerRecord<>(platform.catalog().credentialsIssued().name(), holder.id,
                new IssuanceEvent(CredentialRecords.toAvro(credential)))).get();
        return credential;
    }

    AccessRequest request(Party consumer, Party holder, List<String> fields) throws Exception {
        AccessRequest request = TopologyHarness.signedRequest(consumer, holder, "kyc", "", fields,
                System.currentTimeMillis());
        requests.send(new ProducerRecord<>(platform.catalog().accessRequests().name(), holder.id, request)).get();
        return request;
    }

    void grant(Party holder, Party consumer, Credentials.IssuedCredential credential, String requestId,
               List<String> fields, int maxUses) throws Exception {
        long now = System.currentTimeMillis();
        decisions.send(new ProducerRecord<>(platform.catalog().accessDecisions().name(), holder.id,
                new DecisionEvent(TopologyHarness.signedGrant(holder, consumer, credential, requestId, fields,
                        now - 1000, now + Duration.ofDays(30).toMillis(), maxUses)))).get();
    }

    /**
     * Reads the consumer's delivery topic, committed records only, until {@code done} holds or the time is up, and
     * returns every event the topic holds by then (so a duplicate already written is there too).
     */
    List<DeliveryEvent> awaitDeliveries(Party consumer, Predicate<List<DeliveryEvent>> done, Duration timeout) {
        Topic<String, DeliveryEvent> topic = platform.catalog().deliveries(consumer.id);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DeliveryEvent> events = values(readToEnd(topic));
        while (!done.test(events) && System.nanoTime() < deadline) {
            events = values(readToEnd(topic));
        }
        return events;
    }

    /** Waits until the vault topic holds the credential (committed), as a holder's client would. */
    void awaitStored(String holderId, String credentialId, Duration timeout) {
        Topic<String, StoredCredential> topic = platform.catalog().credentialsStored();
        String key = HolderKeys.of(holderId, credentialId);
        Awaitility.await("credential " + credentialId + " stored").atMost(timeout)
                .until(() -> readToEnd(topic).stream().anyMatch(record -> record.key().equals(key)));
    }

    /** Every committed record of the topic up to its end offsets as they are now. */
    private <V> List<ConsumerRecord<String, V>> readToEnd(Topic<String, V> topic) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), topic.valueSerde().deserializer())) {
            PartitionReader.readToEnd(reader, PartitionReader.partitionsOf(reader, topic.name(), READ_TIMEOUT),
                    READ_TIMEOUT, records::add);
        }
        return records;
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        directory.close();
        issuance.close();
        requests.close();
        decisions.close();
    }
}
