package io.idstream.it.attacks;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Grant;
import io.idstream.avro.PendingRequest;
import io.idstream.it.SignedHttp;
import io.idstream.it.SignedHttp.Answer;
import io.idstream.it.StoryClients;
import io.idstream.mapping.DecisionRecords;
import io.idstream.platform.Platform;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.GatewayConnection.ActiveGrant;
import io.idstream.sdk.GatewayEvents;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.topics.HolderKeys;
import io.idstream.topics.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.idstream.it.SignedHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's story on the secure platform, with the holders on the holder gateway alone: alice and bob have their
 * own key files and the gateway's URL, and pin the operator key; no Kafka login, no admin properties. The issuer,
 * the consumer and the operator use the platform's logins as before. Then the attacks on the gateway: another
 * holder's key, a replayed or stale request, a decision signed by another holder, event streams that would carry
 * another holder's events, and a forged grant written to the decisions topic with the gateway's own Kafka login.
 */
@Timeout(300)
class HolderGatewayAttackIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HolderClient.Scope THIRTY_DAYS_FIVE_USES = new HolderClient.Scope(null, Duration.ofDays(30),
            5);

    @TempDir
    static Path dir;
    static Path dataDir;
    static Platform platform;
    static IssuerClient issuer;
    static ConsumerClient exchange;
    static OperatorClient operator;
    static Identity aliceKeys;
    static Identity bobKeys;
    static HolderClient alice;
    static HolderClient bob;
    static String alicesCredential;

    @BeforeAll
    static void startTheSecurePlatform() {
        dataDir = dir.resolve("data");
        platform = SecurePlatformLogins.start(dataDir, StoryClients.gatewaySettings());
        Properties client = platform.clientProperties();
        Path keys = dir.resolve("keys");
        issuer = new IssuerClient(Identity.create(keys, "kyc-co", "issuer"), client);
        exchange = new ConsumerClient(Identity.create(keys, "exchange-a", "consumer"), client);
        operator = new OperatorClient(platform.operatorKey(), client);
        issuer.register("KYC Co");
        operator.accredit("kyc-co");
        exchange.register("Exchange A");
        operator.accredit("exchange-a");

        // The holders' key files, made apart from everything else; their clients are given those and the URL alone.
        Path holderKeys = dir.resolve("holder-keys");
        Identity.create(holderKeys, "alice", "holder");
        Identity.create(holderKeys, "bob", "holder");
        aliceKeys = Identity.load(holderKeys, "alice");
        bobKeys = Identity.load(holderKeys, "bob");
        alice = StoryClients.holder(platform, aliceKeys);
        bob = StoryClients.holder(platform, bobKeys);
        alice.register("Alice");
        bob.register("Bob");
        StoryClients.allowToWrite(alice, issuer, List.of("kyc"));
        StoryClients.allowToWrite(bob, issuer, List.of("kyc"));

        alicesCredential = issuer.issue("alice", "kyc", Map.of("country", "DE", "age_over_18", "true",
                "full_name", "Alice Example"), 0L);
        String bobsCredential = issuer.issue("bob", "kyc", Map.of("country", "FR", "age_over_18", "true"), 0L);
        alice.awaitCredential(alicesCredential, WAIT);
        bob.awaitCredential(bobsCredential, WAIT);
        StoryClients.awaitTopic(platform, platform.catalog().deliveries("exchange-a").name());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable client : new AutoCloseable[] {alice, bob, issuer, exchange, operator, platform}) {
            if (client != null) {
                client.close();
            }
        }
    }

    @Test
    void theReadmesStoryRunsWithTheHoldersOnTheGatewayAlone() {
        try (ConsumerClient.Subscription deliveries = exchange.subscribe("exchange-a.story")) {
            // exchange-a asks alice; alice sees the request, from the accredited Exchange A, and approves.
            String requestId = exchange.request("alice", "kyc", List.of("country", "age_over_18"), "onboarding");
            PendingRequest pending = alice.awaitPending(requestId, WAIT);
            assertThat(pending.getConsumerDisplayName()).as("who asks, as alice's client checked it")
                    .isEqualTo("Exchange A");
            assertThat(pending.getConsumerAccredited()).as("exchange-a accredited under the pinned key").isTrue();
            assertThat(pending.getCredentialId()).as("the credential offered").isEqualTo(alicesCredential);
            String grantId = alice.approve(requestId, THIRTY_DAYS_FIVE_USES);

            // exchange-a verifies and decrypts exactly the two fields.
            Optional<DeliveryOutcome> delivered = deliveries.await(requestId,
                    DeliveryOutcome.Delivered.class::isInstance, WAIT);
            assertThat(delivered).as("the delivery of " + requestId).get()
                    .extracting(outcome -> ((DeliveryOutcome.Delivered) outcome).values())
                    .isEqualTo(Map.of("country", "DE", "age_over_18", "true"));

            // alice's audit trail shows the grant and the delivery; she revokes, and the grant ends.
            await("alice's audit trail of " + requestId).atMost(WAIT).untilAsserted(() ->
                    assertThat(alice.audit()).filteredOn(entry -> entry.getRequestId().equals(requestId))
                            .extracting(AccessAudit::getOutcome)
                            .contains(AuditOutcome.GRANTED, AuditOutcome.DELIVERED));
            alice.revoke(grantId);
            await("grant " + grantId + " revoked").atMost(WAIT).untilAsserted(() ->
                    assertThat(alice.grants()).extracting(HolderClient.GrantView::grantId).doesNotContain(grantId));
            assertThat(alice.audit()).filteredOn(entry -> grantId.equals(entry.getGrantId()))
                    .extracting(AccessAudit::getOutcome).as("the audit of grant " + grantId)
                    .contains(AuditOutcome.REVOKED);
        }
    }

    @Test
    void bobsKeyIsForbiddenAlicesInbox() {
        Answer answer = send(SignedHttp.get(bobKeys, holderUri("alice", "/inbox")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.errorCode()).isEqualTo("forbidden");
    }

    @Test
    void aReplayedRequestIsRefused() {
        HttpRequest request = SignedHttp.get(aliceKeys, holderUri("alice", "/credentials"));
        Answer first = send(request);
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        Answer replayed = send(request);

        assertThat(replayed.status()).as(replayed.body()).isEqualTo(401);
        assertThat(replayed.errorCode()).isEqualTo("replayed-nonce");
    }

    /** Created two minutes ago: outside the gateway's 60 s window, even though never sent before. */
    @Test
    void aStaleRequestIsRefused() {
        HttpRequest stale = SignedHttp.signed(aliceKeys, "GET", holderUri("alice", "/credentials"), null,
                SignedHttp.nowSeconds() - 120, UUID.randomUUID().toString());

        Answer answer = send(stale);

        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("stale-signature");
    }

    /** Bob signs a denial of alice's request: posted under alice's path, or under his own, it is refused. */
    @Test
    void aDecisionSignedByBobForAliceIsRefused() {
        String requestId = exchange.request("alice", "kyc", List.of("country"), "bob-denies");
        DecisionEvent denial = new DecisionEvent(DecisionRecords.denial(bobKeys.signing(), requestId, "alice",
                System.currentTimeMillis()));

        Answer underAlice = send(SignedHttp.post(bobKeys, holderUri("alice", "/decisions"), denial));
        Answer underBob = send(SignedHttp.post(bobKeys, holderUri("bob", "/decisions"), denial));

        assertThat(underAlice.status()).as(underAlice.body()).isEqualTo(403);
        assertThat(underAlice.errorCode()).isEqualTo("forbidden");
        assertThat(underBob.status()).as(underBob.body()).isEqualTo(403);
        assertThat(underBob.errorCode()).isEqualTo("forbidden");
        // And the request is still alice's to answer.
        assertThat(alice.awaitPending(requestId, WAIT).getRequest().getRequestId()).isEqualTo(requestId);
    }

    /**
     * Both holders subscribe; once each stream has shown its own first request, a request to bob then one to alice:
     * bob's stream shows his, alice's hers, and by then alice's stream holds nothing of bob's.
     */
    @Test
    void aHoldersEventStreamNeverCarriesAnotherHoldersEvents() {
        EventLog alicesEvents = new EventLog();
        EventLog bobsEvents = new EventLog();
        try (GatewayEvents aliceStream = connection(aliceKeys).events(alicesEvents);
             GatewayEvents bobStream = connection(bobKeys).events(bobsEvents)) {
            alicesEvents.awaitRequest(exchange.request("alice", "kyc", List.of("country"), "stream-check"));
            bobsEvents.awaitRequest(exchange.request("bob", "kyc", List.of("country"), "stream-check"));

            String toBob = exchange.request("bob", "kyc", List.of("country"), "stream-isolation");
            bobsEvents.awaitRequest(toBob);
            String toAlice = exchange.request("alice", "kyc", List.of("country"), "stream-isolation");
            alicesEvents.awaitRequest(toAlice);

            assertThat(alicesEvents.holders()).as("the holders alice's stream carried events of").containsOnly("alice");
            assertThat(bobsEvents.holders()).as("the holders bob's stream carried events of").containsOnly("bob");
            assertThat(alicesEvents.requestIds()).as("requests on alice's stream").doesNotContain(toBob);
        }
    }

    /** The event stream is how a holder's app learns of a request at once, instead of polling. */
    @Test
    void aRequestReachesAlicesEventStreamPromptly() {
        EventLog events = new EventLog();
        try (GatewayEvents stream = connection(aliceKeys).events(events)) {
            events.awaitRequest(exchange.request("alice", "kyc", List.of("country"), "stream-connected"));

            long sentAt = System.nanoTime();
            String requestId = exchange.request("alice", "kyc", List.of("country"), "stream-latency");
            long arrivedAt = events.awaitRequest(requestId);

            System.out.printf("request %s reached alice's event stream %d ms after exchange-a sent it%n", requestId,
                    TimeUnit.NANOSECONDS.toMillis(arrivedAt - sentAt));
        }
    }

    /**
     * Whoever took the gateway over holds its Kafka login, which may write the decisions topic. It rewrites one of
     * alice's grants with wider terms and writes a grant of its own in her name, neither signed by her. The gateway
     * keeps only terms that alice's key signed, so her grants, as the gateway serves them, keep her own terms and
     * never show the forged grant. Her later grant, read from the same partition after both, shows the gateway has
     * read past them.
     */
    @Test
    void aForgedGrantWrittenToTheDecisionsTopicNeverShowsInAlicesGrants() throws Exception {
        GatewayConnection alicesGateway = connection(aliceKeys);
        String first = approvedGrant("forgery-target");
        Grant genuine = awaitGrant(alicesGateway, first).grant();

        Grant widened = Grant.newBuilder(genuine).setFields(List.of("country", "age_over_18", "full_name"))
                .setMaxUses(0).setExpiresAt(0L).build();
        Grant forgedNew = Grant.newBuilder(widened).setGrantId(UUID.randomUUID().toString()).build();
        Topic<String, DecisionEvent> decisions = platform.catalog().accessDecisions();
        int partition = HolderKeys.partitionOf("alice", decisions.partitions());
        try (KafkaProducer<byte[], byte[]> gatewayLogin = SecurePlatformLogins.gatewayProducer(platform, dataDir)) {
            for (Grant forged : List.of(widened, forgedNew)) {
                byte[] value = decisions.valueSerde().serializer().serialize(decisions.name(),
                        new DecisionEvent(forged));
                gatewayLogin.send(new ProducerRecord<>(decisions.name(), partition,
                        "alice".getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
            }
        }

        String later = approvedGrant("after-the-forgery");
        awaitGrant(alicesGateway, later);

        List<ActiveGrant> served = alicesGateway.grants();
        assertThat(served).extracting(g -> g.grant().getGrantId()).as("the grants the gateway serves alice")
                .contains(first, later).doesNotContain(forgedNew.getGrantId());
        assertThat(served).filteredOn(g -> g.grant().getGrantId().equals(first)).singleElement()
                .extracting(ActiveGrant::grant).as("grant " + first + " as the gateway serves it")
                .isEqualTo(genuine);
    }

    /** A request of exchange-a's to alice that she approves through the gateway; its grant's id. */
    private static String approvedGrant(String purpose) {
        String requestId = exchange.request("alice", "kyc", List.of("country"), purpose);
        alice.awaitPending(requestId, WAIT);
        return alice.approve(requestId, THIRTY_DAYS_FIVE_USES);
    }

    private static ActiveGrant awaitGrant(GatewayConnection gateway, String grantId) {
        return await("grant " + grantId + " served by the gateway").atMost(WAIT)
                .until(() -> gateway.grants().stream().filter(g -> g.grant().getGrantId().equals(grantId))
                        .findFirst(), Optional::isPresent).orElseThrow();
    }

    private static GatewayConnection connection(Identity holder) {
        return new GatewayConnection(platform.gatewayUrl(), holder);
    }

    private static URI holderUri(String holderId, String tail) {
        return platform.gatewayUrl().resolve("/v1/holders/" + holderId + tail);
    }

    /** What a holder's event stream delivered, each with the time it arrived. */
    private static final class EventLog implements GatewayEvents.Listener {
        private record Arrival(GatewayEvents.Event event, long nanos) {
        }

        private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(GatewayEvents.Event event) {
            arrivals.add(new Arrival(event, System.nanoTime()));
        }

        /** Waits until the stream shows the request in the inbox; when it arrived ({@link System#nanoTime()}). */
        long awaitRequest(String requestId) {
            return await("request " + requestId + " on the event stream").atMost(WAIT)
                    .until(() -> arrivals.stream().filter(a -> a.event() instanceof GatewayEvents.InboxArrived inbox
                                    && inbox.request().getRequest().getRequestId().equals(requestId))
                            .findFirst(), Optional::isPresent).orElseThrow().nanos();
        }

        /** The holders the events name: an inbox request's, an audit entry's, a grant's. */
        List<String> holders() {
            return arrivals.stream().map(Arrival::event).map(EventLog::holderOf).flatMap(Optional::stream).toList();
        }

        List<String> requestIds() {
            return arrivals.stream().map(Arrival::event).filter(GatewayEvents.InboxArrived.class::isInstance)
                    .map(e -> ((GatewayEvents.InboxArrived) e).request().getRequest().getRequestId()).toList();
        }

        private static Optional<String> holderOf(GatewayEvents.Event event) {
            if (event instanceof GatewayEvents.InboxArrived inbox) {
                return Optional.of(inbox.request().getRequest().getHolderId());
            }
            if (event instanceof GatewayEvents.Audited audited) {
                return Optional.of(audited.entry().entry().getHolderId());
            }
            if (event instanceof GatewayEvents.GrantChanged changed && changed.grant() != null) {
                return Optional.of(changed.grant().grant().getHolderId());
            }
            return Optional.empty();
        }
    }
}
