package io.idstream.it.attacks;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.DeliveryVerification.Check;
import io.idstream.crypto.Grants;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.it.StoryClients;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.DeliveryRecords;
import io.idstream.mapping.GrantRecords;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Attack: consumer verification that trusts the platform. Whoever can write a consumer's delivery topic (the
 * platform's operator, or anyone on a cluster without ACLs) plants records there with a plain producer: a delivery
 * from an issuer accredited by an operator key the consumer does not pin (its accreditation written to the verified
 * directory too), a delivery of a credential that has expired, a second copy of a delivery already received, a
 * genuine delivery relabelled as the answer to a request the consumer never made, or to one it made of another holder
 * or for another purpose, a REVOKED notice for a grant the holder never revoked, and a DENIED notice for a request
 * signed by a holder other than the one asked. Every signature a delivery carries is genuine; the consumer's client
 * refuses each all the same, naming the check (docs/protocol.md section 8), and still accepts what the holder really
 * did.
 */
@Timeout(300)
class ForgedDeliveryAttackIT {
    private static final Duration WAIT = StoryClients.WAIT;

    @TempDir
    static Path dir;

    static Platform platform;
    static StoryClients story;

    @BeforeAll
    static void startThePlatform() {
        platform = StoryClients.startPlatform(dir.resolve("data"));
        story = new StoryClients(platform, dir.resolve("keys"), List.of("relabel-kyc", "repeat-kyc", "revoke-kyc"));
    }

    @AfterAll
    static void stopThePlatform() {
        if (story != null) {
            story.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aDeliveryFromAnIssuerAccreditedByAnOperatorKeyTheConsumerDoesNotPinIsRefused() throws Exception {
        // Given a holder and an issuer of the attacker's, registered as anyone may, and the issuer's accreditation
        // by the attacker's own operator key written straight to the verified directory.
        Identity mallory = Identity.create(dir.resolve("keys"), "mallory", "holder");
        Identity rogueIssuer = Identity.create(dir.resolve("keys"), "rogue-kyc", "issuer");
        try (HolderClient holder = StoryClients.holder(platform, mallory);
             IssuerClient issuer = new IssuerClient(rogueIssuer, platform.clientProperties())) {
            holder.register("Mallory");
            issuer.register("Rogue KYC");
        }
        SigningKeyPair rogueOperator = SigningKeyPair.generate();
        long now = System.currentTimeMillis();
        write(platform.catalog().directoryVerified(), "rogue-kyc", new VerifiedPrincipal(
                PrincipalRecords.registration(rogueIssuer.signing(), new PrincipalStatement("rogue-kyc", "issuer",
                        rogueIssuer.signing().publicKey(), rogueIssuer.encryption().publicKey(), "Rogue KYC", now)),
                PrincipalRecords.accreditation(rogueOperator, new AccreditationStatement("rogue-kyc", "issuer",
                        rogueIssuer.signing().publicKey(), now)), now, null, 0L, List.of()));
        // And exchange-a asking mallory for a credential.
        String requestId = story.exchange.request("mallory", "rogue-kyc-type", List.of("country"), "onboarding");

        // When the attacker answers it with a credential of its issuer, granted by its holder.
        CredentialIssued credential = issue(rogueIssuer, mallory, "rogue-kyc-type", 0L);
        plant("mallory", new DeliveryEvent(deliver(requestId, credential, grant(mallory, credential, requestId))));

        // Then exchange-a refuses it: the accreditation is not by an operator key it pins.
        assertRefused(requestId, Check.ISSUER_ACCREDITATION, "issuer 'rogue-kyc' is accredited by operator key",
                "aDeliveryFromAnIssuerAccreditedByAnOperatorKeyTheConsumerDoesNotPinIsRefused");
    }

    @Test
    void aDeliveryOfAnExpiredCredentialIsRefused() throws Exception {
        // Given a credential the accredited issuer signed, which expired a minute ago, and alice's grant of it.
        Identity alice = story.alice.identity();
        CredentialIssued expired = issue(story.issuer.identity(), alice, "expired-kyc",
                System.currentTimeMillis() - 60_000);
        String requestId = story.exchange.request("alice", "expired-kyc", List.of("country"), "onboarding");

        // When the attacker delivers it in answer to exchange-a's request.
        plant("alice", new DeliveryEvent(deliver(requestId, expired, grant(alice, expired, requestId))));

        // Then exchange-a refuses it by its own clock.
        assertRefused(requestId, Check.CREDENTIAL_EXPIRED, "credential " + expired.getCredentialId() + " expired at "
                + expired.getExpiresAt(), "aDeliveryOfAnExpiredCredentialIsRefused");
    }

    @Test
    void aSecondCopyOfADeliveryAndACopyRelabelledForARequestNeverMadeAreRefused() throws Exception {
        // Given a request of exchange-a's that alice approved, and its delivery received.
        String requestId = approvedRequest("repeat-kyc");
        CredentialDelivery genuine = deliveryOnTheTopic(requestId);
        String unsolicitedId = UUID.randomUUID().toString();

        // When the attacker writes the delivery again, and once more as the answer to a request never made.
        plant("alice", new DeliveryEvent(genuine));
        plant("alice", new DeliveryEvent(CredentialDelivery.newBuilder(genuine).setRequestId(unsolicitedId).build()));

        // Then exchange-a, reading its topic from the start, accepts the first answer only.
        try (ConsumerClient.Subscription deliveries = story.exchange.subscribe("exchange-a.repeat")) {
            List<DeliveryOutcome> outcomes = collect(deliveries, 3, o -> !(o instanceof DeliveryOutcome.Notice)
                    && (o.requestId().equals(requestId) || o.requestId().equals(unsolicitedId)));
            assertThat(outcomes).as("exchange-a's outcomes for the request and the relabelled copy")
                    .extracting(DeliveryOutcome::requestId, ForgedDeliveryAttackIT::checkOf)
                    .containsExactly(
                            tuple(requestId, "DELIVERED"),
                            tuple(requestId, Check.REPEATED.name()),
                            tuple(unsolicitedId, Check.UNSOLICITED.name()));
        }
    }

    @Test
    void aRevokedNoticeWithoutTheHoldersSignedRevocationIsRefusedAndTheGenuineOneAccepted() throws Exception {
        // Given an active grant of alice's to exchange-a.
        String requestId = approvedRequest("revoke-kyc");
        CredentialDelivery genuine = deliveryOnTheTopic(requestId);
        String grantId = genuine.getGrant().getGrantId();

        // When the attacker writes a REVOKED notice for it, bare as the platform used to send them, and another
        // carrying a revocation signed with a key that is not alice's.
        plant("alice", new DeliveryEvent(revokedNotice(genuine, null)));
        plant("alice", new DeliveryEvent(revokedNotice(genuine, DecisionRecords.revocation(SigningKeyPair.generate(),
                grantId, "alice", System.currentTimeMillis()))));
        // And alice then really revokes it.
        story.alice.revoke(grantId);

        // Then exchange-a refuses both forgeries as unproven, and passes the genuine notice on.
        try (ConsumerClient.Subscription deliveries = story.exchange.subscribe("exchange-a.revoke")) {
            List<DeliveryOutcome> outcomes = collect(deliveries, 3, o -> o instanceof DeliveryOutcome.Notice n
                    ? grantId.equals(n.grantId())
                    : o instanceof DeliveryOutcome.Refused r && r.reason().contains("grant " + grantId));
            assertThat(outcomes).as("exchange-a's outcomes for the notices about grant %s", grantId)
                    .extracting(ForgedDeliveryAttackIT::checkOf)
                    .containsExactly(Check.NOTICE_STATEMENT.name(), Check.NOTICE_STATEMENT.name(), "REVOKED");
            assertThat(((DeliveryOutcome.Refused) outcomes.get(0)).reason()).isEqualTo("REVOKED notice about grant "
                    + grantId + " carries no signed statement");
            assertThat(((DeliveryOutcome.Refused) outcomes.get(1)).reason()).contains("REVOKED notice about grant "
                    + grantId + " carries a statement whose signature does not verify under holder 'alice''s key");
        }
    }

    @Test
    void aGenuineDeliveryRelabelledAsTheAnswerToAnOpenRequestToAnotherHolderOrForAnotherPurposeIsRefused()
            throws Exception {
        // Given alice's genuine delivery to exchange-a, and two requests of exchange-a's still open: one to oscar,
        // another registered holder, and one to alice for another purpose.
        String answeredId = approvedRequest("relabel-kyc");
        CredentialDelivery genuine = deliveryOnTheTopic(answeredId);
        registeredHolder("oscar");
        String toOscar = story.exchange.request("oscar", "relabel-kyc", List.of("country"), "onboarding");
        String otherPurpose = story.exchange.request("alice", "relabel-kyc", List.of("country"), "marketing");

        // When the attacker writes the delivery again as the answer to each (its outer request id is not signed).
        plant("alice", new DeliveryEvent(CredentialDelivery.newBuilder(genuine).setRequestId(toOscar).build()));
        plant("alice", new DeliveryEvent(CredentialDelivery.newBuilder(genuine).setRequestId(otherPurpose).build()));

        // Then exchange-a refuses both: the delivery does not answer what those requests asked.
        try (ConsumerClient.Subscription deliveries = story.exchange.subscribe("exchange-a.relabel")) {
            List<DeliveryOutcome> outcomes = collect(deliveries, 2, o -> !(o instanceof DeliveryOutcome.Notice)
                    && (o.requestId().equals(toOscar) || o.requestId().equals(otherPurpose)));
            assertThat(outcomes).as("exchange-a's outcomes for the relabelled copies")
                    .extracting(DeliveryOutcome::requestId, ForgedDeliveryAttackIT::checkOf)
                    .containsExactly(tuple(toOscar, Check.UNSOLICITED.name()),
                            tuple(otherPurpose, Check.UNSOLICITED.name()));
            assertThat(((DeliveryOutcome.Refused) outcomes.get(0)).reason())
                    .endsWith("it is from holder 'alice', the request was sent to 'oscar'");
            assertThat(((DeliveryOutcome.Refused) outcomes.get(1)).reason())
                    .endsWith("its grant is for the purpose 'onboarding', the request's is 'marketing'");
        }
    }

    @Test
    void aDeniedNoticeForAlicesRequestSignedByAnotherRegisteredHolderIsRefused() throws Exception {
        // Given a request of exchange-a's to alice, and trudy, a holder registered as anyone may.
        String requestId = story.exchange.request("alice", "deny-kyc", List.of("country"), "onboarding");
        Identity trudy = registeredHolder("trudy");

        // When the attacker writes a DENIED notice for alice's request, carrying a denial trudy really signed.
        plant("alice", new DeliveryEvent(new ConsumerNotice(NoticeKind.DENIED, "exchange-a", "trudy", requestId, "",
                "", "the holder denied the request", System.currentTimeMillis(),
                DecisionRecords.denial(trudy.signing(), requestId, "trudy", System.currentTimeMillis()))));

        // Then exchange-a refuses it: only alice can deny a request sent to alice.
        try (ConsumerClient.Subscription deliveries = story.exchange.subscribe("exchange-a.deny")) {
            // The platform's own PENDING notice for the request arrives too, and is no part of the attack.
            List<DeliveryOutcome> outcomes = collect(deliveries, 1, o -> o.requestId().equals(requestId)
                    && !(o instanceof DeliveryOutcome.Notice n && n.kind() == NoticeKind.PENDING));
            assertThat(outcomes).as("exchange-a's outcome for the notice about request %s", requestId)
                    .extracting(ForgedDeliveryAttackIT::checkOf).containsExactly(Check.NOTICE_STATEMENT.name());
            assertThat(((DeliveryOutcome.Refused) outcomes.get(0)).reason()).isEqualTo("DENIED notice about request "
                    + requestId + " is from holder 'trudy', the request was sent to 'alice'");
        }
    }

    /** A holder of the attacker's, registered as anyone may. */
    private static Identity registeredHolder(String id) {
        Identity identity = Identity.create(dir.resolve("keys"), id, "holder");
        try (HolderClient holder = StoryClients.holder(platform, identity)) {
            holder.register(id);
        }
        return identity;
    }

    /** A request of exchange-a's for {@code type} that alice approves, which the processors then answer. */
    private static String approvedRequest(String type) {
        String credentialId = story.issuer.issue("alice", type, Map.of("country", "DE"), 0L);
        story.alice.awaitCredential(credentialId, WAIT);
        String requestId = story.exchange.request("alice", type, List.of("country"), "onboarding");
        story.alice.awaitPending(requestId, WAIT);
        story.alice.approve(requestId, new HolderClient.Scope(List.of("country"), Duration.ofDays(1), 5));
        return requestId;
    }

    /** Refused for {@code requestId} with {@code check}, the reason containing {@code reason}. */
    private static void assertRefused(String requestId, Check check, String reason, String group) {
        try (ConsumerClient.Subscription deliveries = story.exchange.subscribe("exchange-a." + group)) {
            Optional<DeliveryOutcome> outcome = deliveries.await(requestId,
                    o -> !(o instanceof DeliveryOutcome.Notice), WAIT);
            assertThat(outcome).as("what exchange-a makes of the delivery planted for request %s", requestId)
                    .get().isInstanceOfSatisfying(DeliveryOutcome.Refused.class, refused -> {
                        assertThat(refused.failedCheck()).isEqualTo(check);
                        assertThat(refused.reason()).contains(reason);
                    });
        }
    }

    /** The first {@code count} outcomes that pass {@code wanted}, in the order the subscription gives them. */
    private static List<DeliveryOutcome> collect(ConsumerClient.Subscription deliveries, int count,
                                                 Predicate<DeliveryOutcome> wanted) {
        List<DeliveryOutcome> seen = new ArrayList<>();
        Awaitility.await("exchange-a reads " + count + " outcomes").atMost(WAIT).pollDelay(Duration.ZERO)
                .until(() -> {
                    deliveries.poll(Duration.ofMillis(200)).stream().filter(wanted).forEach(seen::add);
                    return seen.size() >= count;
                });
        return seen;
    }

    private static String checkOf(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Refused refused) {
            return refused.failedCheck().name();
        }
        return outcome instanceof DeliveryOutcome.Notice notice ? notice.kind().name() : "DELIVERED";
    }

    private static CredentialIssued issue(Identity issuer, Identity holder, String type, long expiresAt) {
        return CredentialRecords.toAvro(Credentials.issue(issuer.signing(), new CredentialHeader(
                UUID.randomUUID().toString(), holder.id(), issuer.id(), type, System.currentTimeMillis() - 120_000,
                expiresAt), holder.encryption().publicKey(), Map.of("country", "DE")));
    }

    private static Grant grant(Identity holder, CredentialIssued credential, String requestId) {
        return GrantRecords.grant(holder.signing(), holder.encryption(), credential, new Grants.Terms(
                UUID.randomUUID().toString(), "exchange-a", requestId, "onboarding", System.currentTimeMillis(), 0L,
                0L, 0, List.of("country")), story.exchange.identity().encryption().publicKey());
    }

    private static CredentialDelivery deliver(String requestId, CredentialIssued credential, Grant grant) {
        return DeliveryRecords.assemble(requestId, "exchange-a", credential, grant, List.of("country"),
                System.currentTimeMillis());
    }

    private static ConsumerNotice revokedNotice(CredentialDelivery delivery, SpecificRecord statement) {
        return new ConsumerNotice(NoticeKind.REVOKED, "exchange-a", "alice", "", delivery.getGrant().getGrantId(),
                delivery.getCredentialId(), "the holder revoked the grant", System.currentTimeMillis(), statement);
    }

    /** The delivery for {@code requestId} as it is on exchange-a's topic, read as the attacker reads it. */
    private static CredentialDelivery deliveryOnTheTopic(String requestId) {
        Topic<String, DeliveryEvent> topic = platform.catalog().deliveries("exchange-a");
        AtomicReference<CredentialDelivery> found = new AtomicReference<>();
        try (KafkaConsumer<String, DeliveryEvent> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()), new StringDeserializer(),
                topic.valueSerde().deserializer())) {
            reader.assign(IntStream.range(0, topic.partitions()).mapToObj(p -> new TopicPartition(topic.name(), p))
                    .toList());
            reader.seekToBeginning(reader.assignment());
            Awaitility.await("the delivery of " + requestId + " on " + topic.name()).atMost(WAIT)
                    .pollDelay(Duration.ZERO).until(() -> {
                        for (ConsumerRecord<String, DeliveryEvent> record : reader.poll(Duration.ofMillis(200))) {
                            if (record.value().getEvent() instanceof CredentialDelivery d
                                    && d.getRequestId().equals(requestId)) {
                                found.set(d);
                            }
                        }
                        return found.get() != null;
                    });
        }
        return found.get();
    }

    /** Writes a record to exchange-a's delivery topic, in the holder's partition, as any producer can. */
    private static void plant(String holderId, DeliveryEvent event) throws Exception {
        write(platform.catalog().deliveries("exchange-a"), holderId, event);
    }

    private static <V> void write(Topic<String, V> topic, String key, V value) throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), HolderKeys.partitionOf(key, topic.partitions()), key,
                    value)).get();
        }
    }
}
