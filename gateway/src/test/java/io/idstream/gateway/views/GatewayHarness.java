package io.idstream.gateway.views;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.gateway.GatewayConfig;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.gateway.views.HolderViews.AuditEntry;
import io.idstream.gateway.views.HolderViews.Owner;
import io.idstream.processors.Party;
import io.idstream.processors.TopologyHarness;
import io.idstream.topics.Replication;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The gateway's topology under {@link TopologyTestDriver}, fed by the processors' own topology under another driver
 * ({@link TopologyHarness}): participants act on the processors, and what the processors write to their output topics
 * is passed on to the gateway's inputs when a test says so, in the order it chooses. Holders read what the gateway
 * made of it through {@link #views}, and {@link #changes} records what the gateway told of each change.
 */
final class GatewayHarness implements AutoCloseable {
    final TopologyHarness processors;
    final TopologyTestDriver driver;
    final TopicCatalog catalog;
    final Topology topology;
    final HolderViews views;
    final RecordedChanges changes = new RecordedChanges();
    private final Path stateDir;
    private final TestInputTopic<String, VerifiedPrincipal> verified;
    private final TestInputTopic<String, StoredCredential> stored;
    private final TestInputTopic<String, InboxEvent> inbox;
    private final TestInputTopic<String, AccessAudit> audit;
    private final TestInputTopic<String, DecisionEvent> decisions;
    private final TestInputTopic<String, HolderBackup> backups;

    GatewayHarness() throws Exception {
        this(1);
    }

    /** A gateway that hashes holder ids over {@code partitions}; the driver reads every topic as partition 0. */
    GatewayHarness(int partitions) throws Exception {
        processors = new TopologyHarness();
        stateDir = Files.createTempDirectory("idstream-gateway-ttd");
        Map<String, Object> settings = new HashMap<>();
        settings.put(GatewayConfig.BOOTSTRAP_SERVERS, "ttd:9092");
        settings.put("schema.registry.url", processors.registryUrl);
        settings.put(GatewayConfig.OPERATOR_KEYS, HexFormat.of().formatHex(processors.operator.publicKey()));
        settings.put(GatewayConfig.STATE_DIR, stateDir.toString());
        settings.put(GatewayConfig.APPLICATION_ID, "gateway-ttd-" + UUID.randomUUID());
        settings.put(GatewayConfig.PUNCTUATE_INTERVAL_MS, 1000L);
        settings.put(TopicCatalogConfig.PARTITIONS, partitions);
        GatewayConfig config = new GatewayConfig(settings);
        catalog = TopicCatalog.create(config.catalogConfigs());
        topology = GatewayTopology.build(config, catalog, changes);
        driver = new TopologyTestDriver(topology,
                config.streamsProperties(8090, Replication.of((short) 1)), TopologyHarness.START);
        views = new LocalHolderViews((storeName, partition) -> driver.getKeyValueStore(storeName), partitions,
                holderId -> Optional.of(new Owner("127.0.0.1", 8090, true)), config.pendingTtlMs());
        verified = input(catalog.directoryVerified());
        stored = input(catalog.credentialsStored());
        inbox = input(catalog.holderInbox());
        audit = input(catalog.audit());
        decisions = input(catalog.accessDecisions());
        backups = input(catalog.holderBackups());
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), new StringSerializer(), topic.valueSerde().serializer());
    }

    // ---- acting on the processors ----

    Party register(String id, String role) {
        Party party = processors.register(id, role);
        passDirectory();
        return party;
    }

    /** The accredited issuer kyc-co, registered with the processors and known to the gateway. */
    Party accreditedIssuer() {
        Party issuer = register("kyc-co", "issuer");
        processors.accredit(issuer);
        passDirectory();
        return issuer;
    }

    /** A kyc credential, issued once the holder allowed the issuer to write it (the processors require so). */
    Credentials.IssuedCredential issue(Party issuer, Party holder) {
        processors.allowIssuer(holder, issuer, List.of("kyc"), Duration.ofDays(365));
        return processors.issue(issuer, holder, "kyc", Map.of("country", "DE", "age_over_18", "true"));
    }

    AccessRequest request(Party consumer, Party holder) {
        return processors.request(consumer, holder, "kyc", List.of("country"));
    }

    /** The holder's grant to the processors and, as the same record on the same topic, to the gateway. */
    Grant grant(Party holder, Party consumer, Credentials.IssuedCredential credential, String requestId,
                int maxUses) {
        Grant grant = processors.grant(holder, consumer, credential, requestId, List.of("country"),
                Duration.ofDays(30), maxUses);
        decisions.pipeInput(holder.id, new DecisionEvent(grant));
        return grant;
    }

    /** Moves both drivers' wall clocks, running the punctuations that fall due in each. */
    void advance(Duration duration) {
        processors.advance(duration);
        driver.advanceWallClockTime(duration);
    }

    long now() {
        return processors.now();
    }

    // ---- passing the processors' output on ----

    void passDirectory() {
        pass(processors.verified, verified);
    }

    void passVault() {
        pass(processors.stored, stored);
    }

    void passInbox() {
        pass(processors.inbox, inbox);
    }

    void passAudit() {
        pass(processors.audit, audit);
    }

    /** Everything written so far, each topic in the order the processors wrote it. */
    void passAll() {
        passDirectory();
        passVault();
        passInbox();
        passAudit();
    }

    private static <V> void pass(TestOutputTopic<String, V> from, TestInputTopic<String, V> to) {
        from.readRecordsToList().forEach(record -> to.pipeInput(record.key(), record.value()));
    }

    // ---- writing the gateway's inputs as anyone allowed to write them could ----

    void writeDecision(String key, DecisionEvent decision) {
        decisions.pipeInput(key, decision);
    }

    void writeInbox(String key, PendingRequest request) {
        inbox.pipeInput(key, new InboxEvent(request));
    }

    void writeInbox(String key, ConsentRequest request) {
        inbox.pipeInput(key, new InboxEvent(request));
    }

    void writeBackup(String key, HolderBackup backup) {
        backups.pipeInput(key, backup);
    }

    void writeAudit(String key, AccessAudit entry) {
        audit.pipeInput(key, entry);
    }

    void writeVault(String key, StoredCredential credential) {
        stored.pipeInput(key, credential);
    }

    void writeRaw(String topic, String key, byte[] value) {
        driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()).pipeInput(key, value);
    }

    // ---- reading as the gateway's operator would ----

    /** Records the gateway left out of its views for {@code reason}, as its metric counts them. */
    double ignored(String reason) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(ViewProcessor.IGNORED_METRIC)
                        && reason.equals(e.getKey().tags().get("reason")))
                .map(Map.Entry::getValue).map(Metric::metricValue).mapToDouble(v -> (Double) v).sum();
    }

    /** Every entry still kept in a store, expired or not, which no read filters. */
    long entriesIn(String storeName) {
        try (var all = driver.<String, Object>getKeyValueStore(storeName).all()) {
            long count = 0;
            while (all.hasNext()) {
                all.next();
                count++;
            }
            return count;
        }
    }

    @Override
    public void close() throws IOException {
        driver.close();
        processors.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** What the gateway told of each change, one line each, in order. */
    static final class RecordedChanges implements HolderChanges {
        final List<String> told = new ArrayList<>();
        /** The partitions this instance was told it took over and gave up, in order. */
        final List<String> ownership = new ArrayList<>();

        @Override
        public void partitionAssigned(int partition, int partitions) {
            ownership.add("assigned " + partition + " of " + partitions);
        }

        @Override
        public void partitionRevoked(int partition, int partitions) {
            ownership.add("revoked " + partition + " of " + partitions);
        }

        @Override
        public void requestPending(String holderId, PendingRequest request) {
            told.add("pending " + holderId + " " + request.getRequest().getRequestId());
        }

        @Override
        public void consentRequested(String holderId, ConsentRequest request) {
            told.add("consent-request " + holderId + " " + request.getConsentRequestId());
        }

        @Override
        public void audited(String holderId, AuditEntry entry) {
            told.add("audit " + holderId + " " + entry.entry().getOutcome());
        }

        @Override
        public void grantChanged(String holderId, String grantId, ActiveGrant grantOrNull) {
            told.add("grant " + holderId + " " + grantId + (grantOrNull == null ? " ended"
                    : " uses=" + grantOrNull.uses()));
        }

        List<String> drain() {
            List<String> out = List.copyOf(told);
            told.clear();
            return out;
        }
    }
}
