package io.idstream.gateway.http;

import io.idstream.avro.Principal;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.gateway.http.SignedClient.Answer;
import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.PrincipalRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event stream speaks for the key that signed its opening only while that key is the holder's, lasts a bounded
 * time, and a holder and the instance hold a bounded number of them.
 */
@Timeout(60)
class EventStreamLimitsTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final RecordingHolderWrites writes = new RecordingHolderWrites();
    final SignedClient client = new SignedClient(clock);
    final List<EventReader> readers = new ArrayList<>();
    EventStreams events;
    GatewayServer server;

    void start(GatewayLimits limits) {
        events = new EventStreams(limits, clock);
        server = GatewayServer.start("127.0.0.1", 0, views, writes, events, clock, limits);
    }

    @AfterEach
    void stop() {
        readers.forEach(EventReader::close);
        server.close();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    EventReader openStream(Holder holder) {
        EventReader reader = EventReader.open(client.http, client.signed(holder, "GET",
                uri("/v1/holders/" + holder.id() + "/events"), null));
        readers.add(reader);
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.status != 0);
        return reader;
    }

    @Test
    void aStreamEndsOnceTheHolderRotatedTheKeyThatOpenedIt() {
        start(GatewayLimits.defaults().withKeepAliveInterval(Duration.ofMillis(200)));
        EventReader alicesStream = openStream(alice);
        EventReader bobsStream = openStream(bob);
        Holder aliceWithANewKey = Holder.create("alice");
        // A rotation carries the new keys and is signed by the key bound now (docs/protocol.md section 7).
        Principal registration = PrincipalRecords.registration(alice.signing(), new PrincipalStatement("alice",
                "holder", aliceWithANewKey.signing().publicKey(), aliceWithANewKey.encryption().publicKey(),
                "alice display", TestHolders.NOW + 1));
        byte[] rotation = AvroJson.toJson(registration).toString().getBytes(StandardCharsets.UTF_8);

        Answer rotated = client.send(client.signed("alice", alice, "POST", uri("/v1/holders"), rotation,
                clock.epochSeconds(), MessageSignatures.newNonce()));
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(202);
        // The directory binds the new key once the processors verified the rotation the gateway wrote.
        assertThat(writes.registrations).containsExactly(registration);
        views.with(aliceWithANewKey.verified());

        await("alice's stream ends once her key was rotated").atMost(Duration.ofSeconds(10))
                .until(() -> alicesStream.ended);
        assertThat(bobsStream.ended).as("bob's key did not change").isFalse();
        assertThat(events.openStreams()).isEqualTo(1);
    }

    @Test
    void aStreamEndsAtTheEndOfItsLifetime() {
        start(GatewayLimits.defaults().withKeepAliveInterval(Duration.ofMillis(200))
                .withStreams(4, 10_000, Duration.ofMinutes(15)));
        EventReader stream = openStream(alice);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.lines.contains(": keepalive"));
        assertThat(stream.ended).isFalse();

        clock.advanceSeconds(15 * 60);

        await("the stream ends after 15 minutes").atMost(Duration.ofSeconds(10)).until(() -> stream.ended);
        assertThat(events.openStreams()).isZero();
    }

    @Test
    void aHolderHasFourStreamsAndTheInstanceItsTotal() {
        start(GatewayLimits.defaults().withStreams(4, 5, Duration.ofMinutes(15)));
        for (int i = 0; i < 4; i++) {
            assertThat(openStream(alice).status).isEqualTo(200);
        }

        EventReader alicesFifth = openStream(alice);
        EventReader bobsFirst = openStream(bob);
        EventReader bobsSecond = openStream(bob);

        assertThat(alicesFifth.status).isEqualTo(429);
        assertThat(bobsFirst.status).isEqualTo(200);
        assertThat(bobsSecond.status).as("the instance holds 5 streams").isEqualTo(503);
        assertThat(events.openStreams()).isEqualTo(5);
    }
}
