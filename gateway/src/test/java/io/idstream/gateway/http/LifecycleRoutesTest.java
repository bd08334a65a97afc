package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialRekeyed;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.gateway.http.SignedClient.Answer;
import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.mapping.AvroBytes;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.RekeyRecords;
import io.idstream.mapping.WriteGrantRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;

import static io.idstream.gateway.http.GatewayServerTest.asRead;
import static io.idstream.gateway.http.InMemoryHolderViews.listOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes of a holder's lifecycle over real HTTP, with views filled in memory and writes recorded: write grants,
 * consent requests, the backup (stored signed, read unsigned and paced), the export, and the lifecycle decisions; and
 * every refusal an attacker meets on them.
 */
@Timeout(120)
class LifecycleRoutesTest {
    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final RecordingHolderWrites writes = new RecordingHolderWrites();
    final SignedClient client = new SignedClient(clock);
    GatewayServer server;

    @BeforeEach
    void start() {
        server = GatewayServer.start("127.0.0.1", 0, views, writes, new EventStreams(GatewayLimits.defaults()), clock,
                GatewayLimits.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static byte[] backupBody(byte[] backup) {
        return ("{\"backup\":\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(backup) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    Answer putBackup(Holder signer, String holderId, byte[] body) {
        return client.send(client.signed(signer, "PUT", uri("/v1/holders/" + holderId + "/backup"), body));
    }

    Answer unsignedGet(String path) {
        return client.send(HttpRequest.newBuilder(uri(path)).build());
    }

    @Test
    void aHolderReadsHerWriteGrantsAndTheConsentRequestsWaitingForHer() {
        ConsentRequest asked = alice.consentRequest();
        WriteGrant allowed = alice.writeGrant(asked.getConsentRequestId());
        views.writeGrants.put("alice", listOf(allowed));
        views.consentRequests.put("alice", listOf(asked));

        Answer writeGrants = client.get(alice, uri("/v1/holders/alice/write-grants"));
        Answer consentRequests = client.get(alice, uri("/v1/holders/alice/consent-requests"));

        assertThat(writeGrants.status()).isEqualTo(200);
        assertThat(writeGrants.json().get("writeGrants")).containsExactly(asRead(allowed));
        assertThat(consentRequests.status()).isEqualTo(200);
        assertThat(consentRequests.json().get("consentRequests")).containsExactly(asRead(asked));
    }

    @Test
    void anotherHoldersSignatureOpensNoneOfHerLifecycleRoutes() {
        views.writeGrants.put("alice", listOf(alice.writeGrant("")));
        views.consentRequests.put("alice", listOf(alice.consentRequest()));

        List<Answer> answers = List.of(
                client.get(bob, uri("/v1/holders/alice/write-grants")),
                client.get(bob, uri("/v1/holders/alice/consent-requests")),
                client.get(bob, uri("/v1/holders/alice/export")),
                putBackup(bob, "alice", backupBody(alice.backup())),
                putBackup(bob, "alice", backupBody(bob.backup())));

        assertThat(answers).extracting(Answer::status).containsOnly(403);
        assertThat(answers).extracting(Answer::errorCode).containsOnly("forbidden");
        assertThat(answers).extracting(Answer::body).noneMatch(body -> body.contains("kyc-co"));
        assertThat(writes.backups).isEmpty();
    }

    @Test
    void aHolderStoresHerBackupUnderHerIdOnceItReadsAsABackupOfHerKeys() {
        Answer stored = putBackup(alice, "alice", backupBody(alice.backup()));

        assertThat(stored.status()).as(stored.body()).isEqualTo(204);
        assertThat(stored.body()).isEmpty();
        assertThat(writes.backups).singleElement().satisfies(backup -> {
            assertThat(backup.getPrincipalId()).isEqualTo("alice");
            assertThat(AvroBytes.of(backup.getBackup())).isEqualTo(alice.backup());
            assertThat(backup.getStoredAt()).isEqualTo(TestHolders.NOW);
        });
    }

    @Test
    void anUnsignedBackupIsRefused() {
        Answer unsigned = client.send(HttpRequest.newBuilder(uri("/v1/holders/alice/backup"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(backupBody(alice.backup()))).build());

        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.errorCode()).isEqualTo("missing-signature");
        assertThat(writes.backups).isEmpty();
    }

    @Test
    void aBackupOfAnotherPrincipalOrNoBackupAtAllIsABadRequest() {
        byte[] truncated = Arrays.copyOf(alice.backup(), alice.backup().length - 1);

        Answer bobsKeys = putBackup(alice, "alice", backupBody(bob.backup()));
        Answer notABackup = putBackup(alice, "alice", backupBody(truncated));
        Answer notBase64 = putBackup(alice, "alice", "{\"backup\":\"***\"}".getBytes(StandardCharsets.UTF_8));
        Answer anotherMember = putBackup(alice, "alice", "{\"backup\":\"\",\"note\":1}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(bobsKeys.status()).isEqualTo(400);
        assertThat(bobsKeys.json().at("/error/message").asText())
                .isEqualTo("backup: it seals the keys of another principal than the holder");
        assertThat(notABackup.status()).isEqualTo(400);
        assertThat(notABackup.json().at("/error/message").asText()).startsWith("backup: not a backup");
        assertThat(notBase64.json().at("/error/message").asText()).isEqualTo("backup: not base64url");
        assertThat(anotherMember.status()).isEqualTo(400);
        assertThat(writes.backups).isEmpty();
    }

    @Test
    void aBackupBodyOver4KibIsRefusedBeforeItIsRead() {
        byte[] oversize = new byte[LifecycleRoutes.BACKUP_MAX_BODY_BYTES + 1];
        Arrays.fill(oversize, (byte) ' ');
        byte[] padded = backupBody(alice.backup());
        byte[] withinLimit = Arrays.copyOf(padded, LifecycleRoutes.BACKUP_MAX_BODY_BYTES);
        Arrays.fill(withinLimit, padded.length, withinLimit.length, (byte) ' ');

        Answer tooLarge = putBackup(alice, "alice", oversize);
        Answer atTheLimit = putBackup(alice, "alice", withinLimit);

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("too-large");
        assertThat(atTheLimit.status()).as(atTheLimit.body()).isEqualTo(204);
        assertThat(writes.backups).hasSize(1);
    }

    @Test
    void aBackupIsReadWithoutASignatureFiveTimesAnHourPerHolderIdAndClientAddress() {
        HolderBackup backup = alice.storedBackup();
        views.backups.put("alice", backup);

        List<Answer> withinThePace = new ArrayList<>();
        IntStream.range(0, 5).forEach(read -> withinThePace.add(unsignedGet("/v1/holders/alice/backup")));
        Answer sixth = unsignedGet("/v1/holders/alice/backup");
        Answer bobsMeanwhile = unsignedGet("/v1/holders/bob/backup");
        Answer nobodys = unsignedGet("/v1/holders/nobody/backup");
        clock.advanceSeconds(12 * 60);
        Answer aTokenLater = unsignedGet("/v1/holders/alice/backup");

        assertThat(withinThePace).extracting(Answer::status).containsOnly(200);
        assertThat(withinThePace.get(0).json()).isEqualTo(asRead(backup));
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.errorCode()).isEqualTo("rate-limited");
        assertThat(sixth.response().headers().firstValue("retry-after")).isPresent();
        assertThat(bobsMeanwhile.status()).isEqualTo(404);
        assertThat(bobsMeanwhile.errorCode()).isEqualTo("no-backup");
        assertThat(nobodys.errorCode()).isEqualTo("no-backup");
        assertThat(aTokenLater.status()).isEqualTo(200);
    }

    @Test
    void someoneReadingAHoldersBackupUntilRefusedDoesNotLockHerOutOfHerRecovery() {
        // Given someone at another address who read alice's backup until the gateway refused more
        HolderBackup backup = alice.storedBackup();
        views.backups.put("alice", backup);
        List<Answer> attacker = new ArrayList<>();
        IntStream.rangeClosed(0, LifecycleRoutes.BACKUP_READS_PER_HOUR)
                .forEach(read -> attacker.add(client.unsignedGetFrom("127.0.0.2", uri("/v1/holders/alice/backup"))));
        assertThat(attacker.subList(0, LifecycleRoutes.BACKUP_READS_PER_HOUR)).extracting(Answer::status)
                .containsOnly(200);
        assertThat(attacker.get(LifecycleRoutes.BACKUP_READS_PER_HOUR).errorCode()).isEqualTo("rate-limited");

        // When alice, recovering on her own machine, reads it within the same hour
        Answer hers = unsignedGet("/v1/holders/alice/backup");

        // Then she gets it: the pace is per holder id and client address, not per holder id alone
        assertThat(hers.status()).as(hers.body()).isEqualTo(200);
        assertThat(hers.json()).isEqualTo(asRead(backup));
    }

    @Test
    void theExportHoldsEverythingAsTheHoldersOwnRoutesShowIt() {
        CredentialIssued credential = alice.credential();
        StoredCredential stored = alice.stored(credential);
        ActiveGrant grant = new ActiveGrant(alice.grant(credential), 1);
        views.credentials.put("alice", listOf(stored));
        views.grants.put("alice", listOf(grant));
        views.inboxes.put("alice", listOf(alice.pending(credential)));
        views.writeGrants.put("alice", listOf(alice.writeGrant("")));
        views.consentRequests.put("alice", listOf(alice.consentRequest()));
        List<AccessAudit> trail = IntStream.range(0, HolderRoutes.AUDIT_MAX_LIMIT + 2)
                .mapToObj(i -> alice.audit("g-" + i)).toList();
        views.audits.put("alice", trail);
        views.backups.put("alice", alice.storedBackup());
        clock.advanceSeconds(60);

        JsonNode export = client.get(alice, uri("/v1/holders/alice/export")).json();

        assertThat(export.get("holderId").asText()).isEqualTo("alice");
        assertThat(export.get("exportedAt").asLong()).isEqualTo(TestHolders.NOW + 60_000);
        assertThat(export.get("principal")).isEqualTo(asRead(alice.verified()));
        assertThat(export.get("credentials")).containsExactly(asRead(stored));
        assertThat(export.get("grants").get(0).get("grant")).isEqualTo(asRead(grant.grant()));
        assertThat(export.get("writeGrants")).containsExactly(asRead(views.writeGrants.get("alice").get(0)));
        assertThat(export.get("consentRequests"))
                .containsExactly(asRead(views.consentRequests.get("alice").get(0)));
        assertThat(export.get("inbox")).containsExactly(asRead(views.inboxes.get("alice").get(0)));
        assertThat(export.get("audit")).extracting(entry -> entry.get("entry").get("grantId").asText())
                .containsExactlyElementsOf(trail.stream().map(AccessAudit::getGrantId).toList());
        assertThat(export.get("backup").get("storedAt").asLong()).isEqualTo(TestHolders.NOW);
        assertThat(export.get("backup").has("backup")).as("the sealed keys stay out of the export").isFalse();
    }

    @Test
    void theLifecycleDecisionsAreWrittenUnderTheHoldersIdOnceHerSignatureVerifies() {
        WriteGrant writeGrant = alice.writeGrant("");
        WriteGrantRevocation revocation = WriteGrantRecords.revocation(alice.signing(),
                writeGrant.getWriteGrantId(), "alice", TestHolders.NOW);
        CredentialRekeyed rekeyed = RekeyRecords.rekey(alice.signing(), "0c5e9a52-7d43-4f0e-8f1e-2b7c9d3a6e41", "alice",
                alice.encryption().publicKey(), new byte[32], TestHolders.NOW);

        List<Answer> answers = List.of(writeGrant, revocation, rekeyed).stream()
                .map(decision -> client.post(alice, uri("/v1/holders/alice/decisions"),
                        AvroJson.toJson(new DecisionEvent(decision))))
                .toList();

        assertThat(answers).extracting(Answer::status).containsOnly(202);
        assertThat(writes.decisions).extracting(RecordingHolderWrites.Decision::holderId).containsOnly("alice");
        assertThat(writes.decisions).extracting(written -> written.event().getDecision())
                .containsExactly(writeGrant, revocation, rekeyed);
    }

    @Test
    void aLifecycleDecisionNotSignedByTheHolderOrNotHersIsRefused() {
        WriteGrant signedByBob = WriteGrantRecords.writeGrant(bob.signing(), "5b0f2a4e-1b9b-4d1e-9d61-0c8a4f6b7a10",
                "alice", "kyc-co", "", List.of("kyc"), TestHolders.NOW, TestHolders.NOW + TestHolders.DAY_MS);
        WriteGrantRevocation bobsRevocation = WriteGrantRecords.revocation(bob.signing(),
                "5b0f2a4e-1b9b-4d1e-9d61-0c8a4f6b7a10", "alice", TestHolders.NOW);
        CredentialRekeyed bobsRekey = RekeyRecords.rekey(bob.signing(), "0c5e9a52-7d43-4f0e-8f1e-2b7c9d3a6e41", "alice",
                bob.encryption().publicKey(), new byte[32], TestHolders.NOW);
        WriteGrant bobsOwn = bob.writeGrant("");

        List<Answer> forged = List.of(signedByBob, bobsRevocation, bobsRekey).stream()
                .map(decision -> client.post(alice, uri("/v1/holders/alice/decisions"),
                        AvroJson.toJson(new DecisionEvent(decision))))
                .toList();
        Answer relayed = client.post(alice, uri("/v1/holders/alice/decisions"),
                AvroJson.toJson(new DecisionEvent(bobsOwn)));

        assertThat(forged).extracting(Answer::status).containsOnly(400);
        assertThat(forged).extracting(answer -> answer.json().at("/error/message").asText())
                .containsExactly("decision.signature: the WriteGrant is not signed by the holder's key",
                        "decision.signature: the WriteGrantRevocation is not signed by the holder's key",
                        "decision.signature: the CredentialRekeyed is not signed by the holder's key");
        assertThat(relayed.status()).isEqualTo(403);
        assertThat(writes.decisions).isEmpty();
    }
}
