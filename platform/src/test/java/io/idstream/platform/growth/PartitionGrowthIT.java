package io.idstream.platform.growth;

import io.idstream.platform.Platform;
import io.idstream.platform.TestPlatforms;
import io.idstream.platform.growth.GrowthRecords.Written;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicGenerations;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link PartitionGrowth} against a real broker, with records written as the processors and clients would leave
 * them but no processors: where each record lands, the new group's offsets, the changelogs' records, the fence and
 * the published generation; and what the growth refuses.
 */
@Timeout(120)
class PartitionGrowthIT {
    private static final int FROM = 6;
    private static final int TO = 12;
    private static final int PROCESSED = 2;

    @TempDir
    static java.nio.file.Path dataDir;
    static Platform platform;
    static Admin admin;

    @BeforeAll
    static void start() {
        platform = TestPlatforms.start(dataDir);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        platform.close();
    }

    @Test
    void eachNewPartitionTakesItsHoldersRecordsInOrderAndTheProcessorsResumeWhereTheyStopped() throws Exception {
        Map<String, Object> configs = configs("grow");
        TopicCatalog old = TopicCatalog.create(configs);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(old.platformTopics());
        Map<Integer, List<Written>> bySource = holderRecords();
        String misplacedHolder = IntStream.range(0, 50).mapToObj(i -> "stray-" + i)
                .filter(holder -> HolderKeys.partitionOf(holder, FROM) != 4).findFirst().orElseThrow();
        bySource.get(2).add(new Written(null, "no holder", 1_700_000_009_000L, "null key"));
        bySource.get(4).add(new Written(misplacedHolder, "misplaced", 1_700_000_009_001L, "misplaced"));
        for (int partition = 0; partition < FROM; partition++) {
            GrowthRecords.write(platform.bootstrapServers(), old.credentialsIssued().name(), partition,
                    bySource.get(partition));
        }
        Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
        for (int partition = 0; partition < FROM; partition++) {
            processed.put(new TopicPartition(old.credentialsIssued().name(), partition), new OffsetAndMetadata(PROCESSED));
        }
        admin.alterConsumerGroupOffsets("grow-processors", processed).all().get();
        String holder = "holder-3";
        int holderSource = HolderKeys.partitionOf(holder, FROM);
        writeChangelogs(holder, holderSource);

        GrowthReport report = new PartitionGrowth(settings(configs)).grow(TO);

        assertThat(report.after()).isEqualTo(new TopicGeneration(1, TO));
        String copy = "grow.g1.credentials.issued";
        for (int partition = 0; partition < TO; partition++) {
            List<Written> expected = routedTo(bySource.get(partition % FROM), partition % FROM, partition);
            assertThat(GrowthRecords.read(platform.bootstrapServers(), copy, partition))
                    .as("records of %s partition %d", copy, partition).containsExactlyElementsOf(expected);
        }
        assertThat(GrowthRecords.read(platform.bootstrapServers(), copy, 2)).extracting(Written::value)
                .contains("no holder");
        assertThat(GrowthRecords.read(platform.bootstrapServers(), copy, 4)).extracting(Written::value)
                .contains("misplaced");

        Map<TopicPartition, OffsetAndMetadata> resumed = admin.listConsumerGroupOffsets("grow-processors-g1")
                .partitionsToOffsetAndMetadata().get();
        for (int partition = 0; partition < TO; partition++) {
            List<Written> source = bySource.get(partition % FROM);
            long expected = routedTo(source.subList(0, Math.min(PROCESSED, source.size())), partition % FROM,
                    partition).size();
            assertThat(resumed.get(new TopicPartition(copy, partition)).offset())
                    .as("new group's offset of %s partition %d", copy, partition).isEqualTo(expected);
        }

        int holderTarget = HolderKeys.partitionOf(holder, TO);
        assertThat(GrowthRecords.read(platform.bootstrapServers(), "grow-processors-g1-credentials-changelog",
                holderTarget)).extracting(Written::key).containsExactly(holder + "/credential-1");
        for (int partition = 0; partition < TO; partition++) {
            List<String> marks = GrowthRecords.read(platform.bootstrapServers(),
                    "grow-processors-g1-expiry-index-changelog", partition).stream().map(Written::value).toList();
            if (partition % FROM == 3) {
                assertThat(marks).as("expiry index partition %d", partition).contains("done mark");
            } else {
                assertThat(marks).as("expiry index partition %d", partition).doesNotContain("done mark");
            }
            assertThat(marks.contains("grant entry")).as("grant entry in partition %d", partition)
                    .isEqualTo(partition == holderTarget);
        }
        assertThat(report.changelogRecordsCopied()).containsEntry("grow-processors-credentials-changelog", 1L);

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(old.credentialsIssued().name(),
                    GrowthRecords.bytes("late"), GrowthRecords.bytes("written after the fence"))).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
        }
        assertThat(TopicGenerations.current(configs, Duration.ofSeconds(10))).isEqualTo(new TopicGeneration(1, TO));
    }

    @Test
    void refusesACountThatIsNotAGreaterMultipleAndRunningGroups() throws Exception {
        Map<String, Object> configs = configs("refuse");
        TopicCatalog catalog = TopicCatalog.create(configs);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(catalog.platformTopics());
        PartitionGrowth growth = new PartitionGrowth(settings(configs));

        assertThatThrownBy(() -> growth.grow(FROM)).isInstanceOf(GrowthRefusedException.class)
                .hasMessageContaining("has 6 already, and the count only grows");
        assertThatThrownBy(() -> growth.grow(9)).isInstanceOf(GrowthRefusedException.class)
                .hasMessageContaining("9 is not a multiple of 6");
        try (KafkaConsumer<String, String> gateway = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "refuse-gateway"), new StringDeserializer(),
                new StringDeserializer())) {
            gateway.subscribe(List.of(catalog.audit().name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                gateway.poll(Duration.ofMillis(100));
                return !gateway.assignment().isEmpty();
            });
            assertThatThrownBy(() -> growth.grow(TO)).isInstanceOf(GrowthRefusedException.class)
                    .hasMessage("cannot grow while the consumer group refuse-gateway has 1 member: stop the "
                            + "processors and the gateways first");
        }
        assertThat(admin.listTopics().names().get()).doesNotContain("refuse.g1.directory");

        Map<String, Object> uneven = configs("uneven");
        admin.createTopics(List.of(new NewTopic("uneven.audit", 3, (short) 1))).all().get();
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(TopicCatalog.create(uneven).platformTopics());
        assertThatThrownBy(() -> new PartitionGrowth(settings(uneven)).grow(TO))
                .isInstanceOf(GrowthRefusedException.class)
                .hasMessage("cannot grow: the topic uneven.audit has 3 partitions, not the 6 of its generation");
        assertThat(recordLimit("uneven.directory").value()).as("not fenced").isNotEqualTo("0");
        assertThat(TopicGenerations.current(configs, Duration.ofSeconds(10))).isEqualTo(new TopicGeneration(0, FROM));
    }

    /**
     * A growth that fails after fencing the old generation (here on a changelog that does not match the processors'
     * tasks) publishes nothing and lets the old generation take writes again.
     */
    @Test
    void aGrowthThatFailsLeavesTheOldGenerationWritable() throws Exception {
        Map<String, Object> configs = configs("broken");
        TopicCatalog catalog = TopicCatalog.create(configs);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(catalog.platformTopics());
        admin.createTopics(List.of(new NewTopic("broken-processors-credentials-changelog", 3, (short) 1)))
                .all().get();

        assertThatThrownBy(() -> new PartitionGrowth(settings(configs)).grow(TO))
                .hasMessage("the changelog broken-processors-credentials-changelog has 3 partitions, not the 6 of "
                        + "the processors' tasks");

        GrowthRecords.write(platform.bootstrapServers(), catalog.credentialsIssued().name(), 0,
                List.of(new Written("holder-1", "written after the failed growth", 1_700_000_000_000L, "late")));
        assertThat(GrowthRecords.read(platform.bootstrapServers(), catalog.credentialsIssued().name(), 0))
                .extracting(Written::value).containsExactly("written after the failed growth");
        assertThat(TopicGenerations.current(configs, Duration.ofSeconds(10))).isEqualTo(new TopicGeneration(0, FROM));
        assertThat(recordLimit(catalog.accessRequests().name()))
                .as("the requests topic's own record size limit, given back").isEqualTo(
                        new ConfigEntryView(Integer.toString(TopicCatalog.REQUESTS_MAX_MESSAGE_BYTES),
                                ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG));
        assertThat(recordLimit(catalog.credentialsIssued().name()).source())
                .as("a topic that took the broker's record size limit takes it again")
                .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    /**
     * A write the old topic acknowledged past the end its copy read (another broker answered the copy's end
     * offsets, or the fence reached the leader late) is copied before the new generation is published.
     */
    @Test
    void aRecordTheOldTopicTookAfterItsCopyReadItsEndIsCopiedToo() throws Exception {
        Map<String, Object> configs = configs("late");
        TopicCatalog catalog = TopicCatalog.create(configs);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(catalog.platformTopics());
        String topic = catalog.credentialsIssued().name();
        String holder = IntStream.range(0, 50).mapToObj(i -> "late-" + i)
                .filter(candidate -> HolderKeys.partitionOf(candidate, FROM) == 0).findFirst().orElseThrow();
        GrowthRecords.write(platform.bootstrapServers(), topic, 0,
                List.of(new Written(holder, "copied first", 1_700_000_000_000L, "early")));
        Runnable writeAfterTheCopy = () -> {
            GenerationTopics topics = new GenerationTopics(admin, Duration.ofSeconds(30));
            try {
                topics.unfence(Map.of(topic, Optional.empty()));
                GrowthRecords.write(platform.bootstrapServers(), topic, 0,
                        List.of(new Written(holder, "acknowledged late", 1_700_000_000_001L, "late")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            topics.fence(List.of(topic));
        };

        new PartitionGrowth(settings(configs), writeAfterTheCopy).grow(TO);

        assertThat(GrowthRecords.read(platform.bootstrapServers(), "late.g1.credentials.issued",
                HolderKeys.partitionOf(holder, TO))).extracting(Written::value)
                .containsExactly("copied first", "acknowledged late");
    }

    private record ConfigEntryView(String value, ConfigEntry.ConfigSource source) {
    }

    private static ConfigEntryView recordLimit(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return new ConfigEntryView(entry.value(), entry.source());
    }

    /** Three records of each of 16 holders, some keyed by the holder, some by a thing of hers, in her partition. */
    private static Map<Integer, List<Written>> holderRecords() {
        Map<Integer, List<Written>> bySource = new HashMap<>();
        IntStream.range(0, FROM).forEach(partition -> bySource.put(partition, new ArrayList<>()));
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 16; i++) {
                String holder = "holder-" + i;
                String key = round == 1 ? HolderKeys.of(holder, "thing-" + round) : holder;
                bySource.get(HolderKeys.partitionOf(holder, FROM)).add(new Written(key, holder + " #" + round,
                        1_700_000_000_000L + round * 100 + i, "round " + round));
            }
        }
        return bySource;
    }

    /** The records of source partition {@code source} whose holder's partition of the new count is {@code target}. */
    private static List<Written> routedTo(List<Written> records, int source, int target) {
        return records.stream().filter(record -> {
            int holderPartition = record.key() == null ? source
                    : HolderKeys.partitionOf(HolderKeys.holderIdOf(record.key()), TO);
            return (holderPartition % FROM == source ? holderPartition : source) == target;
        }).toList();
    }

    private static void writeChangelogs(String holder, int partition) throws Exception {
        admin.createTopics(List.of(
                new NewTopic("grow-processors-credentials-changelog", FROM, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")),
                new NewTopic("grow-processors-expiry-index-changelog", FROM, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
        GrowthRecords.write(platform.bootstrapServers(), "grow-processors-credentials-changelog", partition,
                List.of(new Written(holder + "/credential-1", "stored credential", 1_700_000_000_500L, "store")));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            GrowthRecords.writeBytes(producer, "grow-processors-expiry-index-changelog", partition,
                    GrowthRecords.expiryKey(1, 1_800_000_000_000L, holder + "/grant-1"),
                    new Written(null, "grant entry", 1_700_000_000_600L, "index"));
            GrowthRecords.writeBytes(producer, "grow-processors-expiry-index-changelog", 3,
                    GrowthRecords.expiryKey(5, 0, "grant-keys"),
                    new Written(null, "done mark", 1_700_000_000_700L, "index"));
        }
    }

    private static Map<String, Object> configs(String prefix) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                TopicCatalogConfig.TOPIC_PREFIX, prefix, TopicCatalogConfig.PARTITIONS, FROM);
    }

    private static GrowthSettings settings(Map<String, Object> configs) {
        String prefix = (String) configs.get(TopicCatalogConfig.TOPIC_PREFIX);
        return new GrowthSettings(configs, prefix + "-processors", prefix + "-gateway", Duration.ofSeconds(30));
    }
}
