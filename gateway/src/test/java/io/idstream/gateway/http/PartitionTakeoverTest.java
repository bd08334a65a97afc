package io.idstream.gateway.http;

import io.idstream.crypto.http.MessageSignatures;
import io.idstream.gateway.http.SignedClient.Answer;
import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.topics.HolderKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an instance does as holder partitions move to and from it (docs/protocol.md section 16, "Taking over a
 * partition"): it refuses requests signed before it took a holder over, since the previous owner may have served
 * them and their nonces are not in its memory; and it ends the event streams of holders it no longer serves.
 */
@Timeout(60)
class PartitionTakeoverTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final SignedClient client = new SignedClient(clock);
    /** A partition count under which alice and bob hash to different partitions. */
    final int partitions = IntStream.range(2, 64)
            .filter(n -> HolderKeys.partitionOf("alice", n) != HolderKeys.partitionOf("bob", n))
            .findFirst().orElseThrow();
    EventStreams events;
    GatewayServer server;

    @BeforeEach
    void start() {
        events = new EventStreams(GatewayLimits.defaults(), clock);
        server = GatewayServer.start("127.0.0.1", 0, views, new RecordingHolderWrites(), events, clock,
                GatewayLimits.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    Answer inboxSignedAt(Holder holder, long created) {
        return client.send(client.signed(holder.id(), holder, "GET",
                uri("/v1/holders/" + holder.id() + "/inbox"), null, created, MessageSignatures.newNonce()));
    }

    @Test
    void aRequestSignedInTheSecondOfATakeoverIsServed() {
        clock.advanceMillis(700);
        events.partitionAssigned(HolderKeys.partitionOf("alice", partitions), partitions);

        Answer signedThatSecond = inboxSignedAt(alice, clock.epochSeconds());
        Answer signedTheSecondBefore = inboxSignedAt(alice, clock.epochSeconds() - 1);

        assertThat(signedThatSecond.status()).isEqualTo(200);
        assertThat(signedTheSecondBefore.errorCode()).isEqualTo("stale-signature");
    }

    @Test
    void requestsSignedBeforeATakeoverAreStaleFor61SecondsAfterIt() {
        long before = clock.epochSeconds() - 5;
        assertThat(inboxSignedAt(alice, before).status()).isEqualTo(200);

        events.partitionAssigned(HolderKeys.partitionOf("alice", partitions), partitions);
        long takenOver = clock.epochSeconds();
        Answer signedBefore = inboxSignedAt(alice, before);
        Answer signedAtTheTakeover = inboxSignedAt(alice, takenOver);
        Answer anotherPartitionsHolder = inboxSignedAt(bob, before);
        clock.advanceSeconds(50);
        Answer stillWithinTheWindow = inboxSignedAt(alice, takenOver - 1);
        clock.advanceSeconds(11);
        Answer afterTheWindow = inboxSignedAt(alice, clock.epochSeconds() - 60);

        assertThat(signedBefore.status()).isEqualTo(401);
        assertThat(signedBefore.errorCode()).isEqualTo("stale-signature");
        assertThat(signedAtTheTakeover.status()).isEqualTo(200);
        assertThat(anotherPartitionsHolder.status()).isEqualTo(200);
        assertThat(stillWithinTheWindow.errorCode()).isEqualTo("stale-signature");
        assertThat(afterTheWindow.status()).isEqualTo(200);
    }

    @Test
    void aPartitionTakenOverAgainIsTimedFromItsLatestTakeover() {
        int alicesPartition = HolderKeys.partitionOf("alice", partitions);
        events.partitionAssigned(alicesPartition, partitions);
        clock.advanceSeconds(30);
        long signedWhileAway = clock.epochSeconds();
        events.partitionRevoked(alicesPartition, partitions);
        clock.advanceSeconds(10);
        events.partitionAssigned(alicesPartition, partitions);

        Answer answer = inboxSignedAt(alice, signedWhileAway);

        assertThat(answer.errorCode()).isEqualTo("stale-signature");
    }

    @Test
    void theStreamsOfAHolderWhosePartitionMovesAwayAreEndedAndOthersKept() {
        EventReader alices = EventReader.open(client.http,
                client.signed(alice, "GET", uri("/v1/holders/alice/events"), null));
        EventReader bobs = EventReader.open(client.http,
                client.signed(bob, "GET", uri("/v1/holders/bob/events"), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.openStreams() == 2);

        events.partitionRevoked(HolderKeys.partitionOf("alice", partitions), partitions);

        await().atMost(Duration.ofSeconds(10)).until(() -> alices.ended);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.openStreams() == 1);
        events.requestPending("bob", bob.pending(bob.credential()));
        await().atMost(Duration.ofSeconds(10)).until(() -> bobs.data("inbox").size() == 1);
        assertThat(bobs.ended).isFalse();
        bobs.close();
    }
}
