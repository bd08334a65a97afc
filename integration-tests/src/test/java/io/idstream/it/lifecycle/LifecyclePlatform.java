package io.idstream.it.lifecycle;

import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.it.StoryClients;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.platform.Platform;
import io.idstream.processors.GuardedProcessor;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One running platform with its processors and holder gateway, and the parties a lifecycle test makes on it: issuers
 * and consumers registered and accredited over Kafka by the platform's operator, holders registered through the
 * gateway with keys of their own under {@code keys}. Besides the SDK's own reads, it reads topics as an independent
 * Kafka client would (to their end offsets, committed records only), so a test checks what the platform did, not only
 * what the SDK reports.
 */
final class LifecyclePlatform implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration CONSENT = StoryClients.CONSENT;

    final Platform platform;
    final Path keys;
    final OperatorClient operator;
    private final List<AutoCloseable> clients = new ArrayList<>();

    LifecyclePlatform(Path dir) {
        this.platform = StoryClients.startPlatform(dir.resolve("data"));
        this.keys = dir.resolve("keys");
        this.operator = new OperatorClient(platform.operatorKey(), platform.clientProperties());
    }

    /** An issuer registered and accredited, whose notice topic the processors have created. */
    IssuerClient issuer(String id) {
        IssuerClient issuer = new IssuerClient(Identity.create(keys, id, "issuer"), platform.clientProperties());
        clients.add(issuer);
        issuer.register(id);
        operator.accredit(id);
        StoryClients.awaitTopic(platform, platform.catalog().issuerNotices(id).name());
        return issuer;
    }

    /** A consumer registered and accredited, whose delivery topic the processors have created. */
    ConsumerClient consumer(String id) {
        ConsumerClient consumer = consumerClient(Identity.create(keys, id, "consumer"));
        consumer.register(id);
        operator.accredit(id);
        StoryClients.awaitTopic(platform, platform.catalog().deliveries(id).name());
        return consumer;
    }

    /** A consumer's client on keys that are already registered (after a rotation, the keys now in its dir). */
    ConsumerClient consumerClient(Identity identity) {
        ConsumerClient consumer = new ConsumerClient(identity, platform.clientProperties());
        clients.add(consumer);
        return consumer;
    }

    /**
     * The operator accredits the principal's new signing key after a rotation, once its own read of the directory
     * shows the key: an operator accredits a key it has seen registered.
     */
    void accreditRotated(String id) {
        byte[] rotated = Identity.load(keys, id).signing().publicKey();
        operator.directory().await(id, entry -> Arrays.equals(PrincipalRecords.signingKey(entry.getPrincipal()),
                rotated), WAIT, "the rotated key of '" + id + "'");
        operator.accredit(id);
    }

    /** A holder registered through the gateway. */
    HolderClient holder(String id) {
        HolderClient holder = holderClient(Identity.create(keys, id, "holder"));
        holder.register(id);
        return holder;
    }

    /** A holder's client on the gateway, for keys that are already registered. */
    HolderClient holderClient(Identity identity) {
        HolderClient holder = StoryClients.holder(platform, identity);
        clients.add(holder);
        return holder;
    }

    /**
     * The holder allows the issuer to write credentials of {@code types} (strictly sorted), and the processors have
     * taken the write grant in: the issuer's notice topic holds WRITE_GRANTED for it. Returns the write grant's id.
     */
    String allow(HolderClient holder, IssuerClient issuer, List<String> types) {
        String writeGrantId = holder.allowIssuer(issuer.identity().id(), types, CONSENT, null);
        awaitIssuerNotice(issuer.identity().id(), "WRITE_GRANTED for " + writeGrantId,
                n -> n.getKind() == IssuerNoticeKind.WRITE_GRANTED && n.getWriteGrantId().equals(writeGrantId));
        return writeGrantId;
    }

    /** Issues a credential the holder has allowed, and waits until the issuer hears that it is stored. */
    String issueStored(IssuerClient issuer, String holderId, String type, Map<String, String> fields) {
        var outcome = issuer.issueAndAwait(holderId, type, fields, 0L, WAIT);
        if (!outcome.stored()) {
            throw new AssertionError("credential " + outcome.credentialId() + " of type " + type + " for '"
                    + holderId + "' refused: " + outcome.reason() + ": " + outcome.detail());
        }
        return outcome.credentialId();
    }

    /** Waits until the issuer's notice topic holds a notice that {@code wanted} accepts; returns it. */
    IssuerNotice awaitIssuerNotice(String issuerId, String what, Predicate<IssuerNotice> wanted) {
        return Awaitility.await(issuerId + " hears " + what).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> issuerNotices(issuerId).stream().filter(wanted).findFirst(),
                        Optional::isPresent).orElseThrow();
    }

    List<IssuerNotice> issuerNotices(String issuerId) {
        return values(readToEnd(platform.catalog().issuerNotices(issuerId)));
    }

    /** The vault topic's latest record of every credential of the holder, by credential id (erased ones gone). */
    Map<String, StoredCredential> vault(String holderId) {
        Map<String, StoredCredential> vault = new HashMap<>();
        for (ConsumerRecord<String, StoredCredential> record : readToEnd(platform.catalog().credentialsStored())) {
            if (record.key().startsWith(HolderKeys.prefixOf(holderId))) {
                String credentialId = HolderKeys.thingIdOf(record.key());
                if (record.value() == null) {
                    vault.remove(credentialId);
                } else {
                    vault.put(credentialId, record.value());
                }
            }
        }
        return vault;
    }

    /** The consumer's deliveries (not notices) answering {@code requestId}, read to the end offsets of now. */
    List<CredentialDelivery> deliveriesFor(String consumerId, String requestId) {
        return readToEnd(platform.catalog().deliveries(consumerId)).stream().map(ConsumerRecord::value)
                .map(DeliveryEvent::getEvent).filter(CredentialDelivery.class::isInstance)
                .map(CredentialDelivery.class::cast).filter(d -> d.getRequestId().equals(requestId)).toList();
    }

    /** A record the processors refused: the topic it came from, its reason code and detail, and its bytes. */
    record Rejected(String sourceTopic, String reason, String detail, byte[] value) {
    }

    /** Every record on idstream.rejected, read to the end offsets of now. */
    List<Rejected> rejected() {
        return readToEnd(platform.catalog().rejected()).stream().map(r -> new Rejected(
                header(r, GuardedProcessor.SOURCE_TOPIC_HEADER), header(r, GuardedProcessor.REASON_HEADER),
                header(r, GuardedProcessor.DETAIL_HEADER), r.value())).toList();
    }

    /** Waits until idstream.rejected holds a refusal that {@code wanted} accepts; returns it. */
    Rejected awaitRejected(String what, Predicate<Rejected> wanted) {
        return Awaitility.await(what + " on idstream.rejected").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> rejected().stream().filter(wanted).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Writes a record straight to a topic, as a hostile client with write access to it would, keyed as the SDK keys. */
    <V> void write(Topic<String, V> topic, String key, V value) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + topic.name() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the principal's keys dir, as a lost laptop or a new machine leaves it. */
    void deleteKeys(String id) throws IOException {
        try (Stream<Path> files = Files.walk(keys.resolve(id))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Every committed record of the topic as the bytes on the broker, read to the end offsets of now. */
    List<ConsumerRecord<byte[], byte[]>> rawRecords(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            PartitionReader.readToEnd(reader, PartitionReader.partitionsOf(reader, topic, WAIT), WAIT, records::add);
        }
        return records;
    }

    <K, V> List<ConsumerRecord<K, V>> readToEnd(Topic<K, V> topic) {
        return StoryClients.readToEnd(platform.bootstrapServers(), topic);
    }

    private static <K, V> List<V> values(List<ConsumerRecord<K, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                // Closing the rest matters more than one client's failure to close.
            }
        }
        operator.close();
        platform.close();
    }
}
