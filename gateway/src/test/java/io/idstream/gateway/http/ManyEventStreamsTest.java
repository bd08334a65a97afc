package io.idstream.gateway.http;

import io.idstream.avro.PendingRequest;
import io.idstream.gateway.http.TestHolders.Holder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand event streams held open against one server: each receives its holder's event, and closing the readers
 * frees the server's streams. The thread count and heap with them open are printed, not asserted: they depend on the
 * machine, and what the test claims is that the streams do not hold a thread each.
 */
class ManyEventStreamsTest {
    static final int HOLDERS = 100;
    static final int STREAMS_PER_HOLDER = 10;

    final TestClock clock = new TestClock(TestHolders.NOW);
    final InMemoryHolderViews views = new InMemoryHolderViews();
    // Ten streams for each holder, more than a holder may open by default: this test is about the server's threads.
    final GatewayLimits limits = GatewayLimits.defaults().withKeepAliveInterval(Duration.ofMillis(500))
            .withStreams(STREAMS_PER_HOLDER, 10_000, Duration.ofMinutes(15));
    final EventStreams events = new EventStreams(limits);
    final List<EventReader> readers = new ArrayList<>();
    GatewayServer server;

    @AfterEach
    void stop() {
        readers.forEach(EventReader::close);
        server.close();
    }

    @Test
    @Timeout(180)
    void aThousandOpenStreamsEachReceiveTheirHoldersEventWithoutAThreadEach() {
        List<Holder> holders = new ArrayList<>();
        for (int i = 0; i < HOLDERS; i++) {
            Holder holder = Holder.create("holder-" + i);
            holders.add(holder);
            views.with(holder.verified());
        }
        server = GatewayServer.start("127.0.0.1", 0, views, new RecordingHolderWrites(), events, clock, limits);
        SignedClient client = new SignedClient(clock);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        for (Holder holder : holders) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/holders/" + holder.id() + "/events");
            for (int i = 0; i < STREAMS_PER_HOLDER; i++) {
                readers.add(EventReader.open(http, client.signed(holder, "GET", uri, null)));
            }
        }
        // The server's pool has at most 64 threads: a thousand streams open at once hold none of them.
        await().atMost(Duration.ofSeconds(120)).until(() -> events.openStreams() == HOLDERS * STREAMS_PER_HOLDER);
        System.gc();
        long heapUsed = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf("with %d event streams open: gateway pool threads %d, JVM threads %d (before: %d),"
                        + " heap used %d MiB (server and clients share the JVM)%n", events.openStreams(),
                server.threads(), ManagementFactory.getThreadMXBean().getThreadCount(), threadsBefore,
                heapUsed / (1024 * 1024));

        for (Holder holder : holders) {
            PendingRequest pending = holder.pending(holder.credential());
            events.requestPending(holder.id(), pending);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> readers.stream()
                .allMatch(reader -> reader.data("inbox").size() == 1));
        for (int h = 0; h < HOLDERS; h++) {
            String holderId = holders.get(h).id();
            for (int s = 0; s < STREAMS_PER_HOLDER; s++) {
                assertThat(readers.get(h * STREAMS_PER_HOLDER + s).data("inbox").get(0))
                        .contains("\"holderId\":\"" + holderId + "\"");
            }
        }

        readers.forEach(EventReader::close);
        await().atMost(Duration.ofSeconds(60)).until(() -> events.openStreams() == 0);
        System.out.printf("after the readers left: open streams %d, gateway pool threads %d%n",
                events.openStreams(), server.threads());
    }
}
