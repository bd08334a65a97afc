package io.idstream.it.processors;

import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.it.StoryClients;
import io.idstream.mapping.CredentialRecords;
import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.Party;
import io.idstream.processors.ProcessorsApp;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.StoreNames;
import io.idstream.processors.directory.DirectoryView;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory split by need on a real broker (docs/protocol.md section 10): with two processors instances sharing
 * six partitions, each instance's directory state holds the holders of the partitions it owns and no other, and its
 * global store the issuers and consumers and no holder. Per-instance directory state grows with the instance's share
 * of the holders, not with the whole directory.
 */
@Timeout(120)
class DirectorySplitIT {
    static final Duration WAIT = Duration.ofSeconds(45);
    static final int HOLDERS = 30;

    @TempDir
    Path dir;

    @Test
    void eachInstanceHoldsTheHoldersOfItsOwnPartitionsAndOnlyIssuersAndConsumersGlobally() throws Exception {
        try (Platform platform = TestPlatforms.start(dir.resolve("platform"))) {
            TopicCatalog catalog = platform.catalog();
            int partitions = catalog.partitions();
            String applicationId = "directory-split-" + UUID.randomUUID();
            try (ProcessorsApp first = ProcessorsApp.start(settings(platform, applicationId, "first"), WAIT);
                 ProcessorsApp second = ProcessorsApp.start(settings(platform, applicationId, "second"), WAIT);
                 KafkaProducer<String, DirectoryEvent> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                         ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
                         catalog.directory().valueSerde().serializer())) {
                // Given an accredited issuer, a consumer and thirty holders, registered as their clients do
                Party issuer = new Party("kyc-co", "issuer");
                Party consumer = new Party("exchange-a", "consumer");
                List<Party> holders = IntStream.range(0, HOLDERS).mapToObj(n -> new Party("holder-" + n, "holder"))
                        .toList();
                long now = System.currentTimeMillis();
                send(producer, catalog, issuer.id, new DirectoryEvent(issuer.registration(now)));
                send(producer, catalog, issuer.id, new DirectoryEvent(issuer.accreditationBy(platform.operatorKey(),
                        now)));
                send(producer, catalog, consumer.id, new DirectoryEvent(consumer.registration(now)));
                for (Party holder : holders) {
                    send(producer, catalog, holder.id, new DirectoryEvent(holder.registration(now)));
                }
                producer.flush();

                // When both instances have verified every registration, each in the tasks it runs
                List<KafkaStreams> instances = List.of(first.streams(), second.streams());
                Awaitility.await("every holder in the directory state of one instance, the issuer and the consumer "
                                + "in the global store of both").atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .ignoreException(InvalidStateStoreException.class)
                        .until(() -> instances.stream().allMatch(streams -> streams.state() == KafkaStreams.State.RUNNING
                                && ownPartitions(streams).size() == partitions / 2)
                                && instances.stream().mapToInt(streams -> holdersIn(streams).size()).sum() == HOLDERS
                                && instances.stream().allMatch(streams -> global(streams).keySet()
                                .containsAll(List.of(issuer.id, consumer.id))
                                && global(streams).get(issuer.id).getAccreditation() != null));

                // Then each instance holds exactly the holders whose ids hash to the partitions it owns, half or so
                for (KafkaStreams streams : instances) {
                    Set<Integer> owned = ownPartitions(streams);
                    Set<String> expected = holders.stream()
                            .filter(holder -> owned.contains(HolderKeys.partitionOf(holder.id, partitions)))
                            .map(holder -> holder.id).collect(Collectors.toSet());
                    assertThat(holdersIn(streams)).as("the holders of partitions " + owned)
                            .containsExactlyInAnyOrderElementsOf(expected);
                    assertThat(expected).as("the holders of partitions " + owned).isNotEmpty()
                            .hasSizeLessThan(HOLDERS);
                    assertThat(global(streams)).as("the global store of the instance owning " + owned)
                            .containsOnlyKeys(issuer.id, consumer.id);
                }
                assertThat(ownPartitions(first.streams())).as("the partitions the two instances own")
                        .doesNotContainAnyElementsOf(ownPartitions(second.streams()));
            }
        }
    }

    @Test
    void anIssuerOnlyInTheVerifiedDirectoryIsKnownFromTheFirstRecordAfterAnUpgrade() throws Exception {
        try (Platform platform = TestPlatforms.start(dir.resolve("platform"));
             KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                     ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), anyValue(platform.catalog()))) {
            TopicCatalog catalog = platform.catalog();
            // Given an accredited issuer's entry in the verified directory alone, as an earlier version left it with
            // directory.global empty, a holder's registration, and the issuer's first credential for her
            Party issuer = new Party("kyc-co", "issuer");
            Party alice = new Party("alice", "holder");
            long now = System.currentTimeMillis();
            producer.send(new ProducerRecord<>(catalog.directoryVerified().name(), issuer.id, new VerifiedPrincipal(
                    issuer.registration(now), issuer.accreditationBy(platform.operatorKey(), now), now, null, now,
                    List.of())));
            producer.send(new ProducerRecord<>(catalog.directory().name(), alice.id,
                    new DirectoryEvent(alice.registration(now))));
            Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, new CredentialHeader(
                    UUID.randomUUID().toString(), alice.id, issuer.id, "kyc", now, 0L),
                    alice.encryption.publicKey(), Map.of("country", "DE"));
            producer.send(new ProducerRecord<>(catalog.credentialsIssued().name(), alice.id,
                    new IssuanceEvent(CredentialRecords.toAvro(credential))));
            producer.flush();

            // When the processors of this version start
            Map<String, Object> settings = settings(platform, "directory-upgrade-" + UUID.randomUUID(), "only")
                    .originals();
            settings.put(ProcessorsConfig.WRITE_GRANT_REQUIRED, false);
            try (ProcessorsApp processors = ProcessorsApp.start(new ProcessorsConfig(settings), WAIT)) {
                // Then the credential is stored, the issuer known to alice's task from its first record
                String storedKey = HolderKeys.of(alice.id, credential.header().credentialId());
                String servers = platform.bootstrapServers();
                Awaitility.await("the credential stored or refused").atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .until(() -> !StoryClients.readToEnd(servers, catalog.rejected()).isEmpty()
                                || StoryClients.readToEnd(servers, catalog.credentialsStored()).stream()
                                .anyMatch(record -> record.key().equals(storedKey)));
                assertThat(StoryClients.readToEnd(platform.bootstrapServers(), catalog.rejected()))
                        .as("records refused, with their reasons").extracting(DirectorySplitIT::reason).isEmpty();
                assertThat(StoryClients.readToEnd(platform.bootstrapServers(), catalog.directoryGlobal()))
                        .as("the global directory").extracting(ConsumerRecord::key).containsExactly(issuer.id);
            }
        }
    }

    private static String reason(ConsumerRecord<byte[], byte[]> rejected) {
        Header reason = rejected.headers().lastHeader(GuardedProcessor.REASON_HEADER);
        return reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8);
    }

    /** A serializer for the records of any topic of the catalogue, by the topic they are sent to. */
    private static Serializer<Object> anyValue(TopicCatalog catalog) {
        return (topic, value) -> serialize(catalog.platformTopics().stream().filter(t -> t.name().equals(topic))
                .findFirst().orElseThrow(), topic, value);
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(Topic<?, V> topic, String name, Object value) {
        return topic.valueSerde().serializer().serialize(name, (V) value);
    }

    private ProcessorsConfig settings(Platform platform, String applicationId, String instance) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        settings.put("schema.registry.url", platform.schemaRegistryUrl());
        settings.put(ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(platform.operatorKey().publicKey()));
        settings.put(ProcessorsConfig.APPLICATION_ID, applicationId);
        settings.put(ProcessorsConfig.STATE_DIR, dir.resolve(instance).toString());
        settings.put(ProcessorsConfig.METRICS_PORT, -1);
        // The active tasks' state is what is measured: a standby would copy the other instance's partitions.
        settings.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        return new ProcessorsConfig(settings);
    }

    private static void send(KafkaProducer<String, DirectoryEvent> producer, TopicCatalog catalog, String id,
                             DirectoryEvent event) {
        producer.send(new ProducerRecord<>(catalog.directory().name(), id, event));
    }

    /** The partitions of the active tasks the instance runs. */
    private static Set<Integer> ownPartitions(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::activeTasks).flatMap(Set::stream)
                .map(task -> task.taskId().partition()).collect(Collectors.toSet());
    }

    /** The ids of the holders in the directory state of the instance's active tasks. */
    private static Set<String> holdersIn(KafkaStreams streams) {
        return entries(streams, StoreNames.DIRECTORY_STATE).entrySet().stream()
                .filter(entry -> DirectoryView.isHolder(entry.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static Map<String, VerifiedPrincipal> global(KafkaStreams streams) {
        return entries(streams, StoreNames.DIRECTORY_GLOBAL);
    }

    private static Map<String, VerifiedPrincipal> entries(KafkaStreams streams, String storeName) {
        ReadOnlyKeyValueStore<String, VerifiedPrincipal> store = streams.store(StoreQueryParameters.fromNameAndType(
                storeName, QueryableStoreTypes.<String, VerifiedPrincipal>keyValueStore()));
        Map<String, VerifiedPrincipal> entries = new TreeMap<>();
        try (KeyValueIterator<String, VerifiedPrincipal> all = store.all()) {
            all.forEachRemaining(entry -> entries.put(entry.key, entry.value));
        }
        return entries;
    }
}
