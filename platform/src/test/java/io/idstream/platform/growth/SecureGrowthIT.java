package io.idstream.platform.growth;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import io.idstream.schemas.registry.RegistryTruststore;
import io.idstream.schemas.registry.SchemaRegistryClient;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.schemas.serde.WireFormat;
import io.idstream.topics.AclPolicy;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import io.idstream.topics.TopicGeneration;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a secure platform (SASL/SCRAM, TLS, ACLs) a growth run with the operator's login gives each new topic the ACL
 * bindings of its old twin, so that an issuer may write its issuance and a consumer its requests in the new
 * generation as before.
 */
@Timeout(300)
class SecureGrowthIT {
    @TempDir
    Path dataDir;

    @Test
    void eachNewTopicHasTheAclBindingsOfItsOldTwin() throws Exception {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dataDir));
        settings.put(PlatformConfig.SECURE, true);
        try (Platform platform = Platform.start(new PlatformConfig(settings))) {
            Map<String, Object> configs = new HashMap<>();
            platform.clientProperties().forEach((key, value) -> configs.put((String) key, value));
            configs.put(TopicCatalogConfig.TOPIC_PREFIX, "secure");
            Map<String, Object> adminConfigs = new HashMap<>(configs);
            adminConfigs.keySet().retainAll(AdminClientConfig.configNames());
            try (Admin admin = Admin.create(adminConfigs)) {
                TopicCatalog catalog = TopicCatalog.create(configs);
                new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(catalog.platformTopics());
                AclPolicy policy = new AclPolicy(catalog);
                admin.createAcls(policy.bindingsFor("kyc-co", "issuer")).all().get();
                admin.createAcls(policy.bindingsFor("exchange-a", "consumer")).all().get();
                AclBinding deniedRequests = new AclBinding(new ResourcePattern(ResourceType.TOPIC,
                        "secure.access.", PatternType.PREFIXED), new AccessControlEntry("User:exchange-a", "*",
                        AclOperation.WRITE, AclPermissionType.DENY));
                AclBinding stale = new AclBinding(new ResourcePattern(ResourceType.TOPIC,
                        "secure.g1.access.requests", PatternType.LITERAL), new AccessControlEntry("User:stale", "*",
                        AclOperation.WRITE, AclPermissionType.ALLOW));
                admin.createAcls(List.of(deniedRequests, stale)).all().get();
                await("the bindings made").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        entriesOf(admin, "secure.g1.access.requests", PatternType.LITERAL)).hasSize(1));
                List<List<String>> newRequestsEntriesDuringTheCopy = new ArrayList<>();

                new PartitionGrowth(new GrowthSettings(configs, "secure-processors", "secure-gateway",
                        Duration.ofSeconds(30)), () -> newRequestsEntriesDuringTheCopy.add(
                                entriesOf(admin, "secure.g1.access.requests", PatternType.LITERAL))).grow(12);

                assertThat(newRequestsEntriesDuringTheCopy).as("bindings of the new requests topic while copying")
                        .containsExactly(List.of());
                // The broker learns of new ACLs from the controller's log a moment after they are made.
                await("the new topics' ACLs").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(entriesOf(admin, "secure.g1.credentials.issued", PatternType.LITERAL))
                            .isEqualTo(entriesOf(admin, "secure.credentials.issued", PatternType.MATCH))
                            .isNotEmpty();
                    assertThat(entriesOf(admin, "secure.g1.access.requests", PatternType.LITERAL))
                            .isEqualTo(entriesOf(admin, "secure.access.requests", PatternType.MATCH))
                            .contains(deniedRequests.entry().toString())
                            .doesNotContain(stale.entry().toString());
                    assertThat(entriesOf(admin, "secure.g1.directory", PatternType.LITERAL))
                            .isEqualTo(entriesOf(admin, "secure.directory", PatternType.MATCH)).hasSize(4);
                });
            }
        }
    }

    /**
     * A secure platform's gateway logs in with a user of its own, whose ACLs name its application id and topics: in
     * the new generation both are new, and the gateway must still start, as the processors do.
     */
    @Test
    void aSecurePlatformsProcessorsAndGatewayRunAgainInTheNewGeneration() {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dataDir));
        settings.put(PlatformConfig.SECURE, true);
        settings.put(PlatformConfig.PROCESSORS_ENABLED, true);
        settings.put(PlatformConfig.GATEWAY_ENABLED, true);
        settings.put(PlatformConfig.GATEWAY_PORT, 0);
        try (Platform platform = Platform.start(new PlatformConfig(settings))) {
            URI gateway = platform.gatewayUrl();
            Properties client = platform.clientProperties();
            SchemaRegistryClient registry = new SchemaRegistryClient(platform.schemaRegistryUrl(),
                    Duration.ofSeconds(10), client.getProperty(AvroSerdeConfig.BASIC_AUTH_USER_INFO),
                    RegistryTruststore.sslContext(Path.of(client.getProperty(
                            AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION)), "PEM", null));
            CompletableFuture<List<String>> subjectsAtPublish = subjectsWhenPublished(client, registry);

            GrowthReport report = platform.growPartitions(12);

            assertThat(report.after()).isEqualTo(new TopicGeneration(1, 12));
            // Only the operator may register a schema: a client moved to the new generation before its subjects
            // were there could write nothing.
            assertThat(subjectsAtPublish.join()).as("subjects when the new generation was published")
                    .contains(WireFormat.subject("idstream.g1.access.requests", false),
                            WireFormat.subject("idstream.g1.holder.inbox", false));
            assertThat(platform.processors().streams().metadataForLocalThreads()).flatExtracting(
                    thread -> thread.activeTasks().stream().map(task -> task.taskId().partition()).toList())
                    .containsAll(IntStream.range(0, 12).boxed().toList());
            assertThat(platform.gatewayUrl()).isEqualTo(gateway);
        }
    }

    /** The registry's subjects read the moment the first generation record appears. */
    private static CompletableFuture<List<String>> subjectsWhenPublished(Properties client,
                                                                        SchemaRegistryClient registry) {
        Map<String, Object> consumerConfigs = new HashMap<>();
        client.forEach((key, value) -> consumerConfigs.put((String) key, value));
        consumerConfigs.keySet().retainAll(ConsumerConfig.configNames());
        consumerConfigs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfigs.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.assign(List.of(new TopicPartition("idstream.generation", 0)));
        consumer.seekToBeginning(consumer.assignment());
        consumer.poll(Duration.ZERO);
        return CompletableFuture.supplyAsync(() -> {
            try (consumer) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline) {
                    if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                        return registry.subjects();
                    }
                }
                throw new IllegalStateException("no generation published within 120 s");
            }
        });
    }

    /** Whatever could not be read is a test failure; a list, so that it can be compared where it is read. */
    private static List<String> entriesOf(Admin admin, String topic, PatternType patterns) {
        try {
            return admin.describeAcls(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, topic,
                    patterns), AccessControlEntryFilter.ANY)).values().get().stream()
                    .map(AclBinding::entry).map(AccessControlEntry::toString).distinct().sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
