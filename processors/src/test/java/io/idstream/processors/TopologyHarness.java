package io.idstream.processors;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialRekeyed;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification;
import io.idstream.crypto.DeliveryVerifier;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Grants;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.mapping.RekeyRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.mapping.WriteGrantRecords;
import io.idstream.schemas.registry.LocalSchemaRegistry;
import io.idstream.topics.Replication;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicCatalog;
import io.idstream.topics.TopicCatalogConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The topology under {@link TopologyTestDriver}, with helpers that act as issuers, holders and consumers would:
 * they sign real statements with real keys, and read the outputs the way each participant would.
 */
public final class TopologyHarness implements AutoCloseable {
    public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    public final String registryUrl = "mock://" + UUID.randomUUID();
    public final SigningKeyPair operator = SigningKeyPair.generate();
    public final Set<String> deliveryTopics = new HashSet<>();
    /** The issuers whose notice topic exists; a test removes one to see what the processors do without it. */
    public final Set<String> issuerNoticeTopics = new HashSet<>();
    public final TopicCatalog catalog;
    public final ProcessorsConfig config;
    public final TopologyTestDriver driver;
    private final Path stateDir;
    private long wallClock = START.toEpochMilli();

    public final TestInputTopic<String, DirectoryEvent> directory;
    public final TestInputTopic<String, IssuanceEvent> issued;
    public final TestInputTopic<String, AccessRequest> requests;
    public final TestInputTopic<String, DecisionEvent> decisions;
    public final TestOutputTopic<String, VerifiedPrincipal> verified;
    public final TestOutputTopic<String, StoredCredential> stored;
    public final TestOutputTopic<String, InboxEvent> inbox;
    public final TestOutputTopic<String, AccessAudit> audit;
    public final TestOutputTopic<byte[], byte[]> rejected;
    private final Map<String, TestOutputTopic<String, DeliveryEvent>> deliveries = new HashMap<>();
    private final Map<String, TestOutputTopic<String, IssuerNotice>> issuerNotices = new HashMap<>();

    public TopologyHarness() throws Exception {
        this(Map.of());
    }

    public TopologyHarness(Map<String, Object> overrides) throws Exception {
        stateDir = Files.createTempDirectory("idstream-ttd");
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProcessorsConfig.BOOTSTRAP_SERVERS, "ttd:9092");
        settings.put("schema.registry.url", registryUrl);
        settings.put(ProcessorsConfig.OPERATOR_KEYS, HexFormat.of().formatHex(operator.publicKey()));
        settings.put(ProcessorsConfig.STATE_DIR, stateDir.toString());
        settings.put(ProcessorsConfig.APPLICATION_ID, "ttd-" + UUID.randomUUID());
        settings.put(ProcessorsConfig.PUNCTUATE_INTERVAL_MS, 1000L);
        // The driver reads every input topic as one partition, so the processors hash keys over one.
        settings.put(TopicCatalogConfig.PARTITIONS, 1);
        settings.putAll(overrides);
        config = new ProcessorsConfig(settings);
        catalog = TopicCatalog.create(config.catalogConfigs());
        Properties props = config.streamsProperties(catalog.rejected().name(), Replication.of((short) 1));
        driver = new TopologyTestDriver(IdstreamTopology.build(config, catalog, topicsIn(deliveryTopics),
                topicsIn(issuerNoticeTopics)), props, START);

        directory = input(catalog.directory());
        issued = input(catalog.credentialsIssued());
        requests = input(catalog.accessRequests());
        decisions = input(catalog.accessDecisions());
        verified = output(catalog.directoryVerified());
        stored = output(catalog.credentialsStored());
        inbox = output(catalog.holderInbox());
        audit = output(catalog.audit());
        rejected = driver.createOutputTopic(catalog.rejected().name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** The principals' topics as a set of principal ids that {@code ensure} adds to. */
    private static PrincipalTopics topicsIn(Set<String> existing) {
        return new PrincipalTopics() {
            @Override
            public void ensure(String principalId) {
                existing.add(principalId);
            }

            @Override
            public boolean exists(String principalId) {
                return existing.contains(principalId);
            }
        };
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), new StringSerializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), topic.valueSerde().deserializer());
    }

    // ---- acting as participants ----

    public Party register(String id, String role) {
        Party party = new Party(id, role);
        directory.pipeInput(id, new DirectoryEvent(party.registration(now())));
        return party;
    }

    public void accredit(Party party) {
        directory.pipeInput(party.id, new DirectoryEvent(party.accreditationBy(operator, now())));
    }

    /** An issuer's credential for the holder, made with the protocol's own code. */
    public Credentials.IssuedCredential issue(Party issuer, Party holder, String type, Map<String, String> fields) {
        CredentialHeader header = new CredentialHeader(UUID.randomUUID().toString(), holder.id, issuer.id, type,
                now(), 0L);
        Credentials.IssuedCredential credential = Credentials.issue(issuer.signing, header,
                holder.encryption.publicKey(), fields);
        issued.pipeInput(holder.id, new IssuanceEvent(CredentialRecords.toAvro(credential)));
        return credential;
    }

    /**
     * The party's key rotation: new keys for the same id, registered at {@code registeredAt} by a registration
     * signed with the old signing key, as docs/protocol.md section 7 requires; returns the party with its new keys.
     */
    public Party rotate(Party party, long registeredAt) {
        Party rotated = new Party(party.id, party.role);
        directory.pipeInput(party.id, new DirectoryEvent(PrincipalRecords.registration(party.signing,
                new PrincipalStatement(party.id, party.role, rotated.signing.publicKey(),
                        rotated.encryption.publicKey(), "Display " + party.id, registeredAt))));
        return rotated;
    }

    /**
     * What a holder's client does for each credential after a rotation: opens the credential key with the old
     * encryption key, seals it to the new one and signs the re-key with the new signing key, now.
     */
    public CredentialRekeyed rekey(Party before, Party after, Credentials.IssuedCredential credential) {
        byte[] credentialKey = Credentials.unwrapCredentialKey(before.encryption, credential.header(),
                credential.holderKey());
        CredentialRekeyed rekey = RekeyRecords.rekey(after.signing, credential.header().credentialId(), after.id,
                after.encryption.publicKey(), credentialKey, now());
        decisions.pipeInput(after.id, new DecisionEvent(rekey));
        return rekey;
    }

    /** The holder's write grant, signed now, allowing the issuer to write the types for {@code validFor}. */
    public WriteGrant allowIssuer(Party holder, Party issuer, List<String> types, Duration validFor) {
        WriteGrant writeGrant = WriteGrantRecords.writeGrant(holder.signing, UUID.randomUUID().toString(), holder.id,
                issuer.id, "", types, now(), now() + validFor.toMillis());
        decisions.pipeInput(holder.id, new DecisionEvent(writeGrant));
        return writeGrant;
    }

    public void revokeCredential(Party issuer, Party holder, Credentials.IssuedCredential credential, String reason) {
        issued.pipeInput(holder.id, new IssuanceEvent(DecisionRecords.credentialRevocation(issuer.signing,
                credential.header().credentialId(), holder.id, issuer.id, reason, now())));
    }

    public AccessRequest request(Party consumer, Party holder, String type, List<String> fields) {
        AccessRequest request = signedRequest(consumer, holder, type, "", fields, now());
        requests.pipeInput(holder.id, request);
        return request;
    }

    public static AccessRequest signedRequest(Party consumer, Party holder, String type, String credentialId,
                                       List<String> fields, long createdAt) {
        return signedRequest(consumer, holder, type, credentialId, "onboarding", fields, createdAt);
    }

    public static AccessRequest signedRequest(Party consumer, Party holder, String type, String credentialId,
                                              String purpose, List<String> fields, long createdAt) {
        List<String> sorted = Encoding.sorted(fields);
        String requestId = UUID.randomUUID().toString();
        return RequestRecords.signed(consumer.signing, new RequestStatement(requestId, consumer.id, holder.id, type,
                credentialId, purpose, createdAt, sorted));
    }

    public Grant grant(Party holder, Party consumer, Credentials.IssuedCredential credential, String requestId,
                List<String> fields, Duration validFor, int maxUses) {
        Grant grant = signedGrant(holder, consumer, credential, requestId, fields, now(),
                validFor == null ? 0L : now() + validFor.toMillis(), maxUses);
        decisions.pipeInput(holder.id, new DecisionEvent(grant));
        return grant;
    }

    public static Grant signedGrant(Party holder, Party consumer, Credentials.IssuedCredential credential, String requestId,
                             List<String> fields, long notBefore, long expiresAt, int maxUses) {
        return signedGrant(holder, consumer, credential, requestId, "onboarding", fields, notBefore, expiresAt,
                maxUses);
    }

    /** A grant for the purpose, issued when its window opens. */
    public static Grant signedGrant(Party holder, Party consumer, Credentials.IssuedCredential credential,
                                    String requestId, String purpose, List<String> fields, long notBefore,
                                    long expiresAt, int maxUses) {
        return signedGrant(holder, consumer, credential, requestId, purpose, fields, notBefore, notBefore, expiresAt,
                maxUses);
    }

    public static Grant signedGrant(Party holder, Party consumer, Credentials.IssuedCredential credential,
                                    String requestId, String purpose, List<String> fields, long issuedAt,
                                    long notBefore, long expiresAt, int maxUses) {
        return GrantRecords.toAvro(Grants.grant(holder.signing, holder.encryption, credential.header(),
                credential.holderKey(), new Grants.Terms(UUID.randomUUID().toString(), consumer.id, requestId,
                        purpose, issuedAt, notBefore, expiresAt, maxUses, fields), consumer.encryption.publicKey()));
    }

    public void deny(Party holder, String requestId) {
        decisions.pipeInput(holder.id, new DecisionEvent(DecisionRecords.denial(holder.signing, requestId, holder.id,
                now())));
    }

    public void revokeGrant(Party holder, String grantId) {
        decisions.pipeInput(holder.id, new DecisionEvent(DecisionRecords.revocation(holder.signing, grantId,
                holder.id, now())));
    }

    public void erase(Party holder, String credentialId) {
        decisions.pipeInput(holder.id, new DecisionEvent(DecisionRecords.erasure(holder.signing, credentialId,
                holder.id, now())));
    }

    public void pipeRaw(String topic, String key, byte[] value) {
        driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()).pipeInput(key, value);
    }

    /** Moves the driver's wall clock, running the punctuations that fall due; {@link #now()} follows it. */
    public void advance(Duration duration) {
        wallClock += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    public long now() {
        return wallClock;
    }

    // ---- reading as participants ----

    public List<DeliveryEvent> deliveriesOf(Party consumer) {
        return deliveries.computeIfAbsent(consumer.id, id -> output(catalog.deliveries(id))).readValuesToList();
    }

    public List<IssuerNotice> issuerNoticesOf(Party issuer) {
        return issuerNotices.computeIfAbsent(issuer.id, id -> output(catalog.issuerNotices(id))).readValuesToList();
    }

    public static List<CredentialDelivery> credentialDeliveries(List<DeliveryEvent> events) {
        return eventsOfKind(events, CredentialDelivery.class);
    }

    public static List<ConsumerNotice> notices(List<DeliveryEvent> events) {
        return eventsOfKind(events, ConsumerNotice.class);
    }

    private static <T> List<T> eventsOfKind(List<DeliveryEvent> events, Class<T> kind) {
        return events.stream().map(DeliveryEvent::getEvent).filter(kind::isInstance).map(kind::cast)
                .collect(Collectors.toList());
    }

    /**
     * What the consumer does with a delivery: map the record as the SDK's consumer does, verify it with the
     * directory's keys and its own key, and decrypt.
     */
    public static DeliveryVerification verifyAsConsumer(CredentialDelivery d, Party consumer, Party issuer, Party holder) {
        return new DeliveryVerifier(consumer.encryption).verify(DeliveryRecords.toDelivery(d),
                issuer.signing.publicKey(), holder.signing.publicKey());
    }

    /** The rejected records, each as reason code and original value. */
    public List<RejectedRecord> rejections() {
        List<RejectedRecord> out = new ArrayList<>();
        for (TestRecord<byte[], byte[]> record : rejected.readRecordsToList()) {
            out.add(new RejectedRecord(header(record, GuardedProcessor.REASON_HEADER),
                    header(record, GuardedProcessor.DETAIL_HEADER), header(record,
                    GuardedProcessor.SOURCE_TOPIC_HEADER), record.value()));
        }
        return out;
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public record RejectedRecord(String reason, String detail, String sourceTopic, byte[] value) {
    }

    @Override
    public void close() throws java.io.IOException {
        driver.close();
        LocalSchemaRegistry.drop(registryUrl);
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
