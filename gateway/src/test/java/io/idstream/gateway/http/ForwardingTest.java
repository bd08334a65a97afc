package io.idstream.gateway.http;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.PendingRequest;
import io.idstream.gateway.http.SignedClient.Answer;
import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.gateway.views.HolderViews.Owner;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.DecisionRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.idstream.gateway.http.InMemoryHolderViews.listOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances, where the holder's partition is owned by the second: the first verifies and forwards, the second
 * answers and checks nonces, so a replay is refused whichever instance it is sent to.
 */
class ForwardingTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final SignedClient client = new SignedClient(clock);
    final GatewayLimits limits = GatewayLimits.defaults().withKeepAliveInterval(Duration.ofMillis(200));
    final InMemoryHolderViews frontViews = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final InMemoryHolderViews ownerViews = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final RecordingHolderWrites frontWrites = new RecordingHolderWrites();
    final RecordingHolderWrites ownerWrites = new RecordingHolderWrites();
    final EventStreams ownerEvents = new EventStreams(limits);
    final CredentialIssued credential = alice.credential();
    GatewayServer front;
    GatewayServer owner;

    @BeforeEach
    void start() {
        owner = GatewayServer.start("127.0.0.1", 0, ownerViews, ownerWrites, ownerEvents, clock, limits);
        front = GatewayServer.start("127.0.0.1", 0, frontViews, frontWrites, new EventStreams(limits), clock,
                limits);
        frontViews.owner = Optional.of(new Owner("127.0.0.1", owner.port(), false));
        ownerViews.owner = Optional.of(new Owner("127.0.0.1", owner.port(), true));
        // A forwarded request keeps the authority it was sent to: the owner serves those of its gateway's instances.
        ownerViews.instances = java.util.List.of(new Owner("127.0.0.1", front.port(), false),
                new Owner("127.0.0.1", owner.port(), true));
    }

    @AfterEach
    void stop() {
        front.close();
        owner.close();
    }

    URI front(String path) {
        return URI.create("http://127.0.0.1:" + front.port() + path);
    }

    @Test
    void theOwnerAnswersARequestSentToAnotherInstance() {
        PendingRequest pending = alice.pending(credential);
        ownerViews.inboxes.put("alice", listOf(pending));

        Answer answer = client.get(alice, front("/v1/holders/alice/inbox"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.json().get("requests").get(0)).isEqualTo(GatewayServerTest.asRead(pending));
    }

    @Test
    void anUnsignedBackupReadIsPacedWhereItArrivesAndAnsweredByTheOwner() {
        // Only the owner's views hold the backup: the front, asked itself, would answer no-backup.
        HolderBackup backup = alice.storedBackup();
        ownerViews.backups.put("alice", backup);

        List<Answer> reads = new ArrayList<>();
        for (int read = 0; read <= LifecycleRoutes.BACKUP_READS_PER_HOUR; read++) {
            reads.add(client.send(HttpRequest.newBuilder(front("/v1/holders/alice/backup")).build()));
        }

        assertThat(reads.subList(0, LifecycleRoutes.BACKUP_READS_PER_HOUR)).extracting(Answer::status)
                .containsOnly(200);
        assertThat(reads.get(0).json()).isEqualTo(GatewayServerTest.asRead(backup));
        assertThat(reads.get(LifecycleRoutes.BACKUP_READS_PER_HOUR).errorCode()).isEqualTo("rate-limited");
    }

    @Test
    void readsOfABackupUsedUpFromOneAddressLeaveItReadableFromAnotherThroughEitherInstance() {
        HolderBackup backup = alice.storedBackup();
        ownerViews.backups.put("alice", backup);
        // Given someone at 127.0.0.2 who read alice's backup through the front until refused
        List<Answer> attacker = new ArrayList<>();
        for (int read = 0; read <= LifecycleRoutes.BACKUP_READS_PER_HOUR; read++) {
            attacker.add(client.unsignedGetFrom("127.0.0.2", front("/v1/holders/alice/backup")));
        }
        assertThat(attacker.get(LifecycleRoutes.BACKUP_READS_PER_HOUR).errorCode()).isEqualTo("rate-limited");

        // When alice reads it from her own address, through the front and from the owner itself
        Answer throughTheFront = client.send(HttpRequest.newBuilder(front("/v1/holders/alice/backup")).build());
        Answer fromTheOwner = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + owner.port() + "/v1/holders/alice/backup")).build());

        // Then both answer it: the front paced the forwarded reads by their client's address, not the owner
        assertThat(throughTheFront.status()).as(throughTheFront.body()).isEqualTo(200);
        assertThat(throughTheFront.json()).isEqualTo(GatewayServerTest.asRead(backup));
        assertThat(fromTheOwner.status()).as(fromTheOwner.body()).isEqualTo(200);
    }

    @Test
    void aReplaySentToTheOtherInstanceIsStillRefusedByTheOwner() {
        HttpRequest request = client.signed(alice, "GET", front("/v1/holders/alice/inbox"), null);

        Answer first = client.send(request);
        Answer replayThroughTheFront = client.send(request);
        Answer replayToTheOwner = client.send(HttpRequest.newBuilder(request, (name, value) -> true)
                .uri(URI.create("http://127.0.0.1:" + owner.port() + "/v1/holders/alice/inbox")).build());

        assertThat(first.status()).isEqualTo(200);
        assertThat(replayThroughTheFront.status()).isEqualTo(401);
        assertThat(replayThroughTheFront.errorCode()).isEqualTo("replayed-nonce");
        assertThat(replayToTheOwner.status()).isEqualTo(401);
        assertThat(replayToTheOwner.errorCode())
                .as("the Host differs from the one signed, so the owner sees another target URI")
                .isEqualTo("bad-signature");
    }

    @Test
    void aDecisionIsWrittenByTheOwnerAndARefusalComesFromTheFront() {
        DecisionEvent denial = new DecisionEvent(DecisionRecords.denial(alice.signing(), "req-1", "alice",
                TestHolders.NOW));

        Answer accepted = client.post(alice, front("/v1/holders/alice/decisions"), AvroJson.toJson(denial));
        Answer bobUnderAlice = client.post(bob, front("/v1/holders/alice/decisions"), AvroJson.toJson(denial));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(ownerWrites.decisions).extracting(RecordingHolderWrites.Decision::event).containsExactly(denial);
        assertThat(frontWrites.decisions).isEmpty();
        assertThat(bobUnderAlice.status()).isEqualTo(403);
    }

    @Test
    void anEventStreamIsStreamedThroughFromTheOwner() {
        EventReader reader = EventReader.open(client.http,
                client.signed(alice, "GET", front("/v1/holders/alice/events"), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> ownerEvents.openStreams() == 1);
        PendingRequest pending = alice.pending(credential);

        ownerEvents.requestPending("alice", pending);

        await().atMost(Duration.ofSeconds(10)).until(() -> reader.data("inbox").size() == 1);
        assertThat(reader.data("inbox")).containsExactly(GatewayServerTest.asRead(pending).toString());
        reader.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> ownerEvents.openStreams() == 0);
    }

    @Test
    void aForwardedRequestIsNotForwardedAgainWhenTheInstancesDisagree() {
        ownerViews.owner = Optional.of(new Owner("127.0.0.1", front.port(), false));

        Answer answer = client.get(alice, front("/v1/holders/alice/inbox"));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.errorCode()).isEqualTo("unavailable");
        assertThat(answer.json().at("/error/message").asText())
                .as("refused by the owner at the first hop, not by a loop that ran out of connections")
                .contains("disagree");
    }

    @Test
    void aClientsOwnForwardedHeaderIsDisregardedAndItsRequestForwarded() {
        ownerViews.inboxes.put("alice", listOf(alice.pending(credential)));
        HttpRequest signed = client.signed(alice, "GET", front("/v1/holders/alice/inbox"), null);

        Answer answer = client.send(HttpRequest.newBuilder(signed, (name, value) -> true)
                .header(Forwarder.FORWARDED_HEADER, "1").build());

        assertThat(answer.status()).as("the front knows no instance at the client's address: %s", answer.body())
                .isEqualTo(200);
        assertThat(answer.json().get("requests")).hasSize(1);
    }

    @Test
    void aRegistrationIsPacedByTheInstanceItsClientReachedNotAgainByTheOwner() {
        owner.close();
        GatewayLimits strict = limits.withRegistrationsPerMinute(1, 1);
        owner = GatewayServer.start("127.0.0.1", 0, ownerViews, ownerWrites, new EventStreams(strict, clock), clock,
                strict);
        frontViews.owner = Optional.of(new Owner("127.0.0.1", owner.port(), false));
        ownerViews.owner = Optional.of(new Owner("127.0.0.1", owner.port(), true));
        ownerViews.instances = java.util.List.of(new Owner("127.0.0.1", front.port(), false),
                new Owner("127.0.0.1", owner.port(), true));
        Holder carol = Holder.create("carol");
        Holder dave = Holder.create("dave");

        Answer first = client.post(carol, front("/v1/holders"), AvroJson.toJson(carol.registration()));
        Answer second = client.post(dave, front("/v1/holders"), AvroJson.toJson(dave.registration()));

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(second.status()).as("the front's pace is 10 a minute: %s", second.body()).isEqualTo(202);
        assertThat(ownerWrites.registrations).extracting(p -> p.getId()).containsExactly("carol", "dave");
    }
}
