package io.idstream.gateway.http;

import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.mapping.AvroJson;
import io.idstream.topics.TopicCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker nobody answers for holds no HTTP thread: registrations queue for Kafka on a thread of their own and are
 * refused once they waited too long, while the server answers other requests at once.
 */
@Timeout(120)
class UnreachableBrokerTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final SignedClient client = new SignedClient(clock);
    final TopicCatalog catalog = TopicCatalog.create(Map.of("schema.registry.url", "mock://" + UUID.randomUUID()));
    KafkaHolderWrites writes;
    GatewayServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        writes.close();
    }

    static String addressNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    KafkaHolderWrites writesTo(String bootstrap, Duration timeout, int maxInFlight) {
        return new KafkaHolderWrites(Map.of("bootstrap.servers", bootstrap), catalog, timeout, maxInFlight);
    }

    @Test
    void manyRegistrationsWaitingForABrokerThatIsDownLeaveTheServerFreeToAnswer() throws Exception {
        writes = writesTo(addressNobodyListensOn(), Duration.ofSeconds(5), 1_024);
        GatewayLimits limits = GatewayLimits.defaults().withRegistrationsPerMinute(10_000, 10_000);
        server = GatewayServer.start("127.0.0.1", 0, new InMemoryHolderViews(), writes,
                new EventStreams(limits, clock), clock, limits);
        URI holders = URI.create("http://127.0.0.1:" + server.port() + "/v1/holders");
        List<CompletableFuture<HttpResponse<String>>> registrations = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Holder holder = Holder.create("new-" + i);
            registrations.add(client.http.sendAsync(client.signed(holder, "POST", holders,
                    AvroJson.toJson(holder.registration()).toString().getBytes(StandardCharsets.UTF_8)),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // Until the server has the registrations, it has not been put to the test.
        await("registrations waiting for Kafka").atMost(Duration.ofSeconds(30)).until(() -> writes.waiting() >= 40);

        long started = System.nanoTime();
        HttpResponse<String> document = client.http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v1/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("GET /v1/openapi.yaml answered in " + millis + " ms while 200 registrations waited");

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(millis).as("the document is answered while registrations wait for Kafka").isLessThan(2_000);
        CompletableFuture.allOf(registrations.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(registrations).allSatisfy(answer -> assertThat(answer.get().statusCode()).isEqualTo(503));
    }

    @Test
    void writesBeyondTheCapInFlightFailAtOnce() throws Exception {
        writes = writesTo(addressNobodyListensOn(), Duration.ofSeconds(30), 4);
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(writes.register(Holder.create("new-" + i).registration()));
        }

        CompletableFuture<Void> fifth = writes.register(Holder.create("new-4").registration());

        assertThat(fifth).isCompletedExceptionally();
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
    }
}
