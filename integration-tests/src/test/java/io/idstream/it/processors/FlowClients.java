package io.idstream.it.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.it.StoryClients;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.platform.Platform;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.Party;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.TopologyHarness;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Issuers, holders and consumers talking to a running platform or cluster through plain Kafka clients, and what a
 * test reads back: topics to their end offsets (committed records only) and the processors' progress, as their
 * consumer group's lag.
 */
final class FlowClients implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** The application id, and so the consumer group, of the processors the embedded platform runs: the default. */
    static final String EMBEDDED_PROCESSORS = (String) ProcessorsConfig.DEFINITION.defaultValues()
            .get(ProcessorsConfig.APPLICATION_ID);

    private final String bootstrapServers;
    private final TopicCatalog catalog;
    private final SigningKeyPair operatorKey;
    private final KafkaProducer<String, DirectoryEvent> directory;
    private final KafkaProducer<String, IssuanceEvent> issuance;
    private final KafkaProducer<String, AccessRequest> requests;
    private final KafkaProducer<String, DecisionEvent> decisions;
    private final Admin admin;
    /** The holder and issuer pairs whose write grant has been sent and taken in. */
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();

    FlowClients(Platform platform) {
        this(platform.bootstrapServers(), platform.catalog(), platform.operatorKey());
    }

    /**
     * Clients of any cluster: {@code catalog}'s serdes point at its registry, and {@code operatorKey} is the key the
     * processors trust for accreditations.
     */
    FlowClients(String bootstrapServers, TopicCatalog catalog, SigningKeyPair operatorKey) {
        this.bootstrapServers = bootstrapServers;
        this.catalog = catalog;
        this.operatorKey = operatorKey;
        this.directory = producer(catalog.directory());
        this.issuance = producer(catalog.credentialsIssued());
        this.requests = producer(catalog.accessRequests());
        this.decisions = producer(catalog.accessDecisions());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private <V> KafkaProducer<String, V> producer(Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), topic.valueSerde().serializer());
    }

    Party register(String id, String role) throws Exception {
        Party party = new Party(id, role);
        directory.send(new ProducerRecord<>(catalog.directory().name(), id,
                new DirectoryEvent(party.registration(System.currentTimeMillis())))).get();
        return party;
    }

    void accredit(Party party) throws Exception {
        directory.send(new ProducerRecord<>(catalog.directory().name(), party.id,
                new DirectoryEvent(party.accreditationBy(operatorKey, System.currentTimeMillis())))).get();
    }

    /**
     * Issues a kyc credential to the holder; the first time for this issuer and holder, the holder first allows the
     * issuer to write kyc credentials ({@link #allowToWrite}), as the processors store none without that consent.
     */
    Credentials.IssuedCredential issue(Party issuer, Party holder, Map<String, String> fields) throws Exception {
        if (allowed.add(holder.id + " " + issuer.id)) {
            allowToWrite(holder, issuer);
        }
        CredentialHeader header = new CredentialHeader(UUID.randomUUID().toString(), holder.id, issuer.id, "kyc",
                System.currentTimeMillis(), 0L);
        Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, header,
                holder.encryption.publicKey(), fields);
        issuance.send(new ProducerRecord<>(catalog.credentialsIssued().name(), holder.id,
                new IssuanceEvent(CredentialRecords.toAvro(credential)))).get();
        return credential;
    }

    /**
     * Sends the holder's write grant letting the issuer write kyc credentials for 30 days, once both are verified,
     * and waits until the processors have taken it in: the issuer's notice topic tells it so.
     */
    void allowToWrite(Party holder, Party issuer) throws Exception {
        awaitVerified(List.of(holder.id, issuer.id), issuer.id, READ_TIMEOUT);
        long now = System.currentTimeMillis();
        WriteGrant writeGrant = WriteGrantRecords.writeGrant(holder.signing, UUID.randomUUID().toString(), holder.id,
                issuer.id, "", List.of("kyc"), now, now + Duration.ofDays(30).toMillis());
        decisions.send(new ProducerRecord<>(catalog.accessDecisions().name(), holder.id,
                new DecisionEvent(writeGrant))).get();
        Awaitility.await(issuer.id + " hears of " + holder.id + "'s write grant").atMost(READ_TIMEOUT)
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> readToEnd(catalog.issuerNotices(issuer.id)).stream().map(ConsumerRecord::value)
                        .anyMatch(n -> n.getKind() == IssuerNoticeKind.WRITE_GRANTED
                                && n.getWriteGrantId().equals(writeGrant.getWriteGrantId())));
    }

    AccessRequest request(Party consumer, Party holder, List<String> fields) throws Exception {
        AccessRequest request = TopologyHarness.signedRequest(consumer, holder, "kyc", "", fields,
                System.currentTimeMillis());
        requests.send(new ProducerRecord<>(catalog.accessRequests().name(), holder.id, request)).get();
        return request;
    }

    /** Sends the holder's grant, valid for 30 days, and returns its id. */
    String grant(Party holder, Party consumer, Credentials.IssuedCredential credential, String requestId,
                 List<String> fields, int maxUses) throws Exception {
        long now = System.currentTimeMillis();
        Grant grant = TopologyHarness.signedGrant(holder, consumer, credential, requestId, fields, now - 1000,
                now + Duration.ofDays(30).toMillis(), maxUses);
        decisions.send(new ProducerRecord<>(catalog.accessDecisions().name(), holder.id,
                new DecisionEvent(grant))).get();
        return grant.getGrantId();
    }

    /**
     * Reads the consumer's delivery topic, committed records only, until {@code done} holds or the time is up, and
     * returns every event the topic holds by then (so a duplicate already written is there too).
     */
    List<DeliveryEvent> awaitDeliveries(Party consumer, Predicate<List<DeliveryEvent>> done, Duration timeout) {
        Topic<String, DeliveryEvent> topic = catalog.deliveries(consumer.id);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DeliveryEvent> events = values(readToEnd(topic));
        while (!done.test(events) && System.nanoTime() < deadline) {
            events = values(readToEnd(topic));
        }
        return events;
    }

    /** Waits until the vault topic holds the credential (committed), as a holder's client would. */
    void awaitStored(String holderId, String credentialId, Duration timeout) {
        Topic<String, StoredCredential> topic = catalog.credentialsStored();
        String key = HolderKeys.of(holderId, credentialId);
        Awaitility.await("credential " + credentialId + " stored").atMost(timeout)
                .until(() -> readToEnd(topic).stream().anyMatch(record -> record.key().equals(key)));
    }

    /**
     * Waits until the verified directory holds the principals, {@code accredited} with its accreditation: what the
     * processors check issuances, requests and decisions against.
     */
    void awaitVerified(List<String> ids, String accredited, Duration timeout) {
        Awaitility.await("principals " + ids + " verified, " + accredited + " accredited").atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    Map<String, VerifiedPrincipal> verified = new HashMap<>();
                    readToEnd(catalog.directoryVerified()).forEach(r -> verified.put(r.key(), r.value()));
                    return verified.keySet().containsAll(ids) && verified.get(accredited).getAccreditation() != null;
                });
    }

    /**
     * Waits until the audit trail records the grant as GRANTED: the processors run, know the holder and the consumer,
     * and hold the credential.
     */
    void awaitGranted(String grantId, Duration timeout) {
        Awaitility.await("grant " + grantId + " audited GRANTED").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> readToEnd(catalog.audit()).stream().map(ConsumerRecord::value)
                        .anyMatch(a -> a.getOutcome() == AuditOutcome.GRANTED && a.getGrantId().equals(grantId)));
    }

    /** The consumer's delivery events, committed ones only, read from the beginning to the end offsets of now. */
    List<DeliveryEvent> deliveries(String consumerId) {
        return values(readToEnd(catalog.deliveries(consumerId)));
    }

    /** The rejected topic's records, committed ones only, read from the beginning to the end offsets of now. */
    List<ConsumerRecord<byte[], byte[]>> rejected() {
        return readToEnd(catalog.rejected());
    }

    /** The reason code of each rejected record, committed ones only, read to the end offsets of now. */
    List<String> rejectionReasons() {
        return rejected().stream().map(record -> {
            Header reason = record.headers().lastHeader(GuardedProcessor.REASON_HEADER);
            return reason == null ? "(no reason)" : new String(reason.value(), StandardCharsets.UTF_8);
        }).toList();
    }

    /** Every committed record of the topic up to its end offsets as they are now. */
    <K, V> List<ConsumerRecord<K, V>> readToEnd(Topic<K, V> topic) {
        return StoryClients.readToEnd(bootstrapServers, topic);
    }

    /**
     * Waits until the processors running under {@code applicationId} (their consumer group) have committed, on every
     * input topic, the latest offset: everything sent so far is processed and, under exactly-once, what it produced
     * is committed in the same transactions.
     */
    void awaitProcessed(String applicationId, Duration timeout) {
        Awaitility.await("the processors " + applicationId + " have processed every input record").atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> unprocessed(latestInputOffsets(), applicationId).isEmpty());
    }

    /** The latest offset of every partition of the processors' input topics. */
    private Map<TopicPartition, Long> latestInputOffsets() throws Exception {
        List<String> inputs = List.of(catalog.directory().name(), catalog.credentialsIssued().name(),
                catalog.accessRequests().name(), catalog.accessDecisions().name());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(inputs).allTopicNames().get().values().forEach(description -> description.partitions()
                .forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /**
     * The input partitions where the group {@code applicationId} has committed less than {@code offsets}, with the
     * number of records it has not committed yet.
     */
    private Map<TopicPartition, Long> unprocessed(Map<TopicPartition, Long> offsets, String applicationId)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> behind = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        offsets.forEach((partition, offset) -> {
            OffsetAndMetadata done = committed.get(partition);
            long lag = offset - (done == null ? 0 : done.offset());
            if (lag > 0) {
                behind.put(partition, lag);
            }
        });
        return behind;
    }

    /** Follows the consumer's delivery topic from its beginning, committed records only. */
    DeliveryWatch watchDeliveries(Party consumer) {
        return new DeliveryWatch(catalog.deliveries(consumer.id));
    }

    /** A reader of one delivery topic that counts the credential deliveries committed so far. */
    final class DeliveryWatch implements AutoCloseable {
        private final KafkaConsumer<String, DeliveryEvent> reader;
        private int delivered;

        private DeliveryWatch(Topic<String, DeliveryEvent> topic) {
            reader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new StringDeserializer(), topic.valueSerde().deserializer());
            List<TopicPartition> partitions = PartitionReader.partitionsOf(reader, topic.name(), READ_TIMEOUT);
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
        }

        /** Waits until more than {@code count} credential deliveries are committed. */
        void awaitMoreThan(int count, Duration timeout) {
            Awaitility.await("more than " + count + " deliveries committed").atMost(timeout).pollInSameThread()
                    .pollInterval(Duration.ZERO).until(() -> {
                        poll();
                        return delivered > count;
                    });
        }

        /** Reads to the end offsets of now and returns every credential delivery committed by then. */
        int deliveredToEnd(Duration timeout) {
            Map<TopicPartition, Long> ends = reader.endOffsets(reader.assignment(), timeout);
            Awaitility.await("deliveries read to the end offsets " + ends).atMost(timeout).pollInSameThread()
                    .pollInterval(Duration.ZERO).until(() -> {
                        poll();
                        return ends.entrySet().stream()
                                .allMatch(end -> reader.position(end.getKey()) >= end.getValue());
                    });
            return delivered;
        }

        private void poll() {
            reader.poll(Duration.ofMillis(50)).forEach(record -> {
                if (record.value().getEvent() instanceof CredentialDelivery) {
                    delivered++;
                }
            });
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        admin.close();
        directory.close();
        issuance.close();
        requests.close();
        decisions.close();
    }
}
