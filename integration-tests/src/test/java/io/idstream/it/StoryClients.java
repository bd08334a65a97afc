package io.idstream.it;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.ConsumerTrust;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.topics.PartitionReader;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The story's parties as the SDK's clients on a running platform, each with keys of its own under {@code keys}:
 * the issuer kyc-co and the consumer exchange-a registered and accredited by the platform's operator, the holder
 * alice registered, and exchange-a's delivery topic created by the processors. Holders hold no Kafka login: alice
 * reaches the platform through its holder gateway with her own key alone, and trusts exchange-a's key because the
 * operator key she pins accredited it.
 */
public final class StoryClients implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    public final IssuerClient issuer;
    public final HolderClient alice;
    public final ConsumerClient exchange;
    public final OperatorClient operator;

    /** The credential types the story's issuer may write to alice's vault: she allowed them when she registered. */
    public static final List<String> STORY_TYPES = List.of("address", "kyc", "passport");
    /** Long enough that no write grant a test makes ends while the test runs. */
    public static final Duration CONSENT = Duration.ofDays(30);

    /** The story on a platform that runs the holder gateway ({@link #startPlatform}). */
    public StoryClients(Platform platform, Path keys) {
        this(platform, keys, STORY_TYPES);
    }

    /** The story, with alice allowing kyc-co to write credentials of {@code aliceAllows} (strictly sorted). */
    public StoryClients(Platform platform, Path keys, List<String> aliceAllows) {
        Properties client = platform.clientProperties();
        issuer = new IssuerClient(Identity.create(keys, "kyc-co", "issuer"), client);
        alice = holder(platform, Identity.create(keys, "alice", "holder"));
        exchange = new ConsumerClient(Identity.create(keys, "exchange-a", "consumer"), client);
        operator = new OperatorClient(platform.operatorKey(), client);
        issuer.register("KYC Co");
        operator.accredit("kyc-co");
        alice.register("Alice");
        allowToWrite(alice, issuer, aliceAllows);
        exchange.register("Exchange A");
        operator.accredit("exchange-a");
        awaitTopic(platform, platform.catalog().deliveries("exchange-a").name());
    }

    /** A platform with its processors and its holder gateway on a free port, and {@code more} settings besides. */
    public static Platform startPlatform(Path dataDir, Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dataDir));
        settings.putAll(gatewaySettings());
        settings.putAll(more);
        return Platform.start(new PlatformConfig(settings));
    }

    public static Platform startPlatform(Path dataDir) {
        return startPlatform(dataDir, Map.of());
    }

    /** The settings that run the processors and the holder gateway, on a port the system picks. */
    public static Map<String, Object> gatewaySettings() {
        return Map.of(PlatformConfig.PROCESSORS_ENABLED, true, PlatformConfig.GATEWAY_ENABLED, true,
                PlatformConfig.GATEWAY_PORT, 0);
    }

    /**
     * A holder's client as a holder runs it: its own key, the platform gateway's URL, and the platform's operator
     * key pinned; no Kafka login.
     */
    public static HolderClient holder(Platform platform, Identity identity) {
        URI gateway = platform.gatewayUrl();
        if (gateway == null) {
            throw new IllegalStateException("the platform runs no holder gateway (" + PlatformConfig.GATEWAY_ENABLED
                    + "); start it with StoryClients.startPlatform");
        }
        return new HolderClient(identity, new GatewayConnection(gateway, identity),
                ConsumerTrust.forHolder(List.of(platform.operatorKey().publicKey())));
    }

    /**
     * The holder allows the issuer to write credentials of {@code types} (strictly sorted) to its vault for
     * {@link #CONSENT}, and the processors have taken the write grant in: the issuer has heard of it on its notice
     * topic, so a credential it issues from now on is stored. For a holder that allows this issuer once. Returns the
     * write grant's id.
     */
    public static String allowToWrite(HolderClient holder, IssuerClient issuer, List<String> types) {
        String holderId = holder.identity().id();
        String writeGrantId = holder.allowIssuer(issuer.identity().id(), types, CONSENT, null);
        String heard = issuer.awaitWriteGrant(holderId, null, WAIT).orElseThrow(() -> new AssertionError(
                issuer.identity().id() + " did not hear of " + holderId + "'s write grant " + writeGrantId))
                .getWriteGrantId();
        if (!heard.equals(writeGrantId)) {
            throw new AssertionError(issuer.identity().id() + " heard of write grant " + heard + " of " + holderId
                    + ", not of " + writeGrantId);
        }
        return writeGrantId;
    }

    /** A consumer's delivery topic is created by the processors once they verify its registration. */
    public static void awaitTopic(Platform platform, String topic) {
        try (Admin admin = Admin.create(platform.clientProperties())) {
            Awaitility.await("topic " + topic + " created").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.listTopics().names().get().contains(topic));
        }
    }

    /** Every committed record of the topic up to its end offsets as they are now. */
    public static <K, V> List<ConsumerRecord<K, V>> readToEnd(String bootstrapServers, Topic<K, V> topic) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            PartitionReader.readToEnd(reader, PartitionReader.partitionsOf(reader, topic.name(), READ_TIMEOUT),
                    READ_TIMEOUT, records::add);
        }
        return records;
    }

    @Override
    public void close() {
        issuer.close();
        alice.close();
        exchange.close();
        operator.close();
    }
}
