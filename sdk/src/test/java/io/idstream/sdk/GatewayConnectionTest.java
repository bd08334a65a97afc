package io.idstream.sdk;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.CredentialStatus;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Denial;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignatureRefused;
import io.idstream.crypto.http.MessageSignatures.Verified;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.DecisionRecords;
import io.idstream.mapping.RequestRecords;
import io.idstream.sdk.GatewayConnection.AuditEntry;
import io.idstream.sdk.GatewayEvents.Audited;
import io.idstream.sdk.GatewayEvents.Event;
import io.idstream.sdk.GatewayEvents.GrantChanged;
import io.idstream.sdk.GatewayEvents.InboxArrived;
import io.idstream.sdk.RecordingGateway.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The holder's HTTP client of the gateway (docs/protocol.md section 16), against a recording stand-in gateway. */
class GatewayConnectionTest {
    static final String REQUEST_ID = UUID.randomUUID().toString();
    final DeliveryFixture fixture = new DeliveryFixture();
    final RecordingGateway server = new RecordingGateway();
    final GatewayConnection gateway = new GatewayConnection(server.url(), fixture.holder);

    GatewayConnectionTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private AccessAudit audit(String requestId) {
        return new AccessAudit("alice", "exchange-a", fixture.credential.getCredentialId(), requestId, "g-1",
                List.of("country"), "onboarding", AuditOutcome.DELIVERED, 5_000L);
    }

    /** The request verified as the gateway verifies it, with the holder's public key under its own id. */
    private Verified verify(Received request, String method, URI target) throws SignatureRefused {
        return MessageSignatures.verify(method, target, request::header, request.body(),
                keyId -> keyId.equals("alice") ? Optional.of(fixture.holder.signing().publicKey()) : Optional.empty(),
                Instant.now().getEpochSecond(), 60);
    }

    @Test
    void everyRequestIsSignedForExactlyItsMethodUriAndBodyWithAFreshNonce() throws Exception {
        // Given a gateway that answers every holder route
        server.answer("GET", "/v1/holders/alice/inbox", 200, "{\"requests\":[]}");
        server.answer("GET", "/v1/holders/alice/credentials", 200, "{\"credentials\":[]}");
        server.answer("GET", "/v1/holders/alice/credentials/" + fixture.credential.getCredentialId(), 200,
                RecordingGateway.json(fixture.stored(CredentialStatus.ACTIVE)));
        server.answer("GET", "/v1/holders/alice/grants", 200, "{\"grants\":[]}");
        server.answer("GET", "/v1/holders/alice/audit", 200, "{\"entries\":[],\"next\":-1}");
        server.answer("POST", "/v1/holders/alice/decisions", 202, "{\"accepted\":true}");
        server.answer("GET", "/v1/principals/exchange-a", 200, RecordingGateway.json(
                TrustedDirectory.entry("exchange-a", "consumer", fixture.consumer.signing())));
        Denial denial = DecisionRecords.denial(fixture.holder.signing(), "r-1", "alice", 4_000L);

        // When the holder calls each
        gateway.inbox();
        gateway.credentials();
        assertThat(gateway.credential(fixture.credential.getCredentialId())).isPresent();
        gateway.grants();
        gateway.audit(41, 7);
        gateway.decide(new DecisionEvent(denial));
        assertThat(gateway.principal("exchange-a")).isPresent();

        // Then each request verifies for its own method and URI (the query included), and the body is the decision
        assertThat(server.received).hasSize(7);
        List<String> nonces = new ArrayList<>();
        for (Received request : server.received) {
            Verified verified = verify(request, request.method(), request.targetUri());
            assertThat(verified.keyId()).isEqualTo("alice");
            nonces.add(verified.nonce());
            assertThatThrownBy(() -> verify(request, request.method().equals("GET") ? "DELETE" : "GET",
                    request.targetUri())).as("the same signature for another method")
                    .isInstanceOfSatisfying(SignatureRefused.class, e -> assertThat(e.code()).isEqualTo("bad-signature"));
            assertThatThrownBy(() -> verify(request, request.method(), URI.create(request.targetUri().toString()
                    .replace("/v1/", "/v2/")))).as("the same signature for another URI")
                    .isInstanceOfSatisfying(SignatureRefused.class, e -> assertThat(e.code()).isEqualTo("bad-signature"));
        }
        assertThat(nonces).as("one nonce per request").doesNotHaveDuplicates();
        assertThat(server.received.get(4).targetUri().getRawQuery()).isEqualTo("after=41&limit=7");
        Received decision = server.received.get(5);
        assertThat(decision.header("Content-Digest")).startsWith("sha-256=:");
        assertThat(AvroJson.fromJson(GatewayConnection.JSON.readTree(decision.body()), DecisionEvent.class)
                .getDecision()).isEqualTo(denial);
        assertThatThrownBy(() -> MessageSignatures.verify("POST", decision.targetUri(), decision::header,
                new String(decision.body(), StandardCharsets.UTF_8).replace("r-1", "r-2").getBytes(StandardCharsets.UTF_8),
                keyId -> Optional.of(fixture.holder.signing().publicKey()), Instant.now().getEpochSecond(), 60))
                .as("the signature with another body").isInstanceOfSatisfying(SignatureRefused.class,
                        e -> assertThat(e.code()).isEqualTo("digest-mismatch"));
    }

    @Test
    void theSignedUriNamesTheGatewayAsTheHostHeaderWill() {
        // The JDK's client leaves a default port out of Host, and the gateway rebuilds @target-uri from Host
        assertThat(new GatewayConnection(URI.create("http://gateway.example:80"), fixture.holder).url())
                .hasToString("http://gateway.example");
        assertThat(new GatewayConnection(URI.create("https://gateway.example:443/"), fixture.holder).url())
                .hasToString("https://gateway.example");
        assertThat(new GatewayConnection(URI.create("http://gateway.example:8443"), fixture.holder).url())
                .hasToString("http://gateway.example:8443");
        assertThatThrownBy(() -> new GatewayConnection(URI.create("http://gateway.example/api"), fixture.holder))
                .isInstanceOf(IdstreamException.class)
                .hasMessage("the gateway URL must not carry a path, query or fragment: 'http://gateway.example/api'");
    }

    @Test
    void aGatewayThatIsRebalancingIsAskedAgainWithAFreshSignatureAfterItsRetryAfter() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        server.answer("GET", "/v1/holders/alice/inbox", exchange -> {
            if (asked.incrementAndGet() == 1) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                RecordingGateway.send(exchange, 503,
                        "{\"error\":{\"code\":\"unavailable\",\"message\":\"the holder's views are moving\"}}");
            } else {
                RecordingGateway.send(exchange, 200, "{\"requests\":[]}");
            }
        });

        assertThat(gateway.inbox()).isEmpty();

        assertThat(server.received).hasSize(2);
        assertThat(verify(server.received.get(1), "GET", server.received.get(1).targetUri()).nonce())
                .isNotEqualTo(verify(server.received.get(0), "GET", server.received.get(0).targetUri()).nonce());
    }

    @Test
    void aGatewayThatStaysUnavailableIsARefusalOnceTheTimeoutWouldPass() throws Exception {
        server.answer("GET", "/v1/holders/alice/inbox", exchange -> {
            exchange.getResponseHeaders().add("Retry-After", "1");
            RecordingGateway.send(exchange, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"starting\"}}");
        });
        GatewayConnection impatient = new GatewayConnection(server.url(), fixture.holder, null, Duration.ofMillis(2500));

        assertThatThrownBy(impatient::inbox).isInstanceOfSatisfying(GatewayRefusal.class,
                refusal -> assertThat(refusal.code()).isEqualTo("unavailable"));
        assertThat(server.received).as("asked again after each Retry-After, until the next would end past the timeout")
                .hasSizeBetween(2, 3);
    }

    @Test
    void anErrorAnswerBecomesARefusalWithTheGatewaysCodeAndMessage() {
        server.answer("GET", "/v1/holders/alice/inbox", 403,
                "{\"error\":{\"code\":\"forbidden\",\"message\":\"the signer is not 'alice'\"}}");

        assertThatThrownBy(gateway::inbox).isInstanceOfSatisfying(GatewayRefusal.class, refusal -> {
            assertThat(refusal.status()).isEqualTo(403);
            assertThat(refusal.code()).isEqualTo("forbidden");
        }).hasMessage("the gateway refused: 403 forbidden: the signer is not 'alice'");
    }

    @Test
    void aGatewayThatDoesNotListenIsNamedByItsUrl() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        GatewayConnection nowhere = new GatewayConnection(URI.create("http://127.0.0.1:" + port), fixture.holder);

        assertThatThrownBy(nowhere::inbox).isInstanceOf(IdstreamException.class)
                .hasMessage("cannot reach the gateway at http://127.0.0.1:" + port + ": connection refused (is it "
                        + "running at that address?)");
    }

    @Test
    void theAuditTrailIsReadPageByPage() {
        server.answer("GET", "/v1/holders/alice/audit", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            RecordingGateway.send(exchange, 200, query.startsWith("after=-1&")
                    ? "{\"entries\":[{\"cursor\":3,\"entry\":" + RecordingGateway.json(audit("r-1")) + "}],\"next\":3}"
                    : query.startsWith("after=3&")
                    ? "{\"entries\":[{\"cursor\":8,\"entry\":" + RecordingGateway.json(audit("r-2")) + "}],\"next\":-1}"
                    : "{\"entries\":[],\"next\":-1}");
        });

        List<AuditEntry> all = new ArrayList<>();
        gateway.auditEntries(-1).forEachRemaining(all::add);

        assertThat(all).extracting(AuditEntry::cursor).containsExactly(3L, 8L);
        assertThat(all).extracting(e -> e.entry().getRequestId()).containsExactly("r-1", "r-2");
    }

    @Test
    void eventsArriveParsedAndTheSubscriptionReconnectsWithANewSignatureAfterADrop() throws Exception {
        // Given a gateway whose first stream carries three events, a keep-alive and an unknown event, then drops
        AtomicInteger connections = new AtomicInteger();
        String pending = RecordingGateway.json(new PendingRequest(RequestRecords.signed(fixture.consumer.signing(),
                new RequestStatement(REQUEST_ID, "exchange-a", "alice", "kyc", "", "onboarding", 1_000L,
                        List.of("country"))), "Exchange A", false, "", "kyc", "", 1_000L, Long.MAX_VALUE));
        CountDownLatch subscriptionClosed = new CountDownLatch(1);
        server.answer("GET", "/v1/holders/alice/events", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                if (connections.incrementAndGet() == 1) {
                    write(out, ": keep-alive\n\nevent: inbox\ndata: " + pending + "\n\n"
                            + "event: something-new\ndata: {}\n\n"
                            + "event: audit\ndata: {\"cursor\":4,\n"
                            + "data: \"entry\":" + RecordingGateway.json(audit("r-1")) + "}\n\n");
                } else {
                    write(out, "event: grant\ndata: {\"grantId\":\"g-1\",\"grant\":null}\n\n");
                    awaitQuietly(subscriptionClosed);
                }
            }
        });
        List<Event> events = new CopyOnWriteArrayList<>();
        List<IdstreamException> drops = new CopyOnWriteArrayList<>();

        // When the holder subscribes
        try (GatewayEvents subscription = gateway.events(new GatewayEvents.Listener() {
            @Override
            public void onEvent(Event event) {
                events.add(event);
            }

            @Override
            public void onDisconnect(IdstreamException why) {
                drops.add(why);
            }
        })) {
            // Then the events of both connections arrive in order, parsed, and the drop was reported
            await("three events, the last from a second connection").atMost(Duration.ofSeconds(10))
                    .until(() -> events.size() >= 3);
            assertThat(events.get(0)).isInstanceOfSatisfying(InboxArrived.class,
                    e -> assertThat(e.request().getRequest().getRequestId()).isEqualTo(REQUEST_ID));
            assertThat(events.get(1)).isInstanceOfSatisfying(Audited.class, e -> {
                assertThat(e.entry().cursor()).isEqualTo(4L);
                assertThat(e.entry().entry().getOutcome()).isEqualTo(AuditOutcome.DELIVERED);
            });
            assertThat(events.get(2)).isEqualTo(new GrantChanged("g-1", null));
            assertThat(drops).extracting(Throwable::getMessage)
                    .contains("the gateway at " + server.url() + " ended the event stream");
        } finally {
            subscriptionClosed.countDown();
        }
        List<String> nonces = new ArrayList<>();
        for (Received request : server.received) {
            nonces.add(verify(request, "GET", request.targetUri()).nonce());
        }
        assertThat(nonces).as("each connection signed anew").hasSize(2).doesNotHaveDuplicates();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Keeps the second stream open until the test is done with it, as a live gateway would. */
    private static void awaitQuietly(CountDownLatch done) {
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
