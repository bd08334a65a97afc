package io.idstream.sdk;

import io.idstream.avro.HolderBackup;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.KeyBackup;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.mapping.PrincipalRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A holder's keys sealed under a passphrase (docs/protocol.md section 17) and restored on a machine without them:
 * from the backup the gateway serves unsigned, or from a file. What is restored is checked against the keys the
 * directory binds to the id now, and written as keys are written; existing keys are never replaced.
 */
class HolderRecoveryTest {
    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path keysDir;
    @TempDir
    Path elsewhere;

    final DeliveryFixture fixture = new DeliveryFixture();
    final RecordingGateway server = new RecordingGateway();
    final ConsumerTrust trust = ConsumerTrust.forHolder(List.of());

    HolderRecoveryTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private GatewayConnection withoutKeys() {
        return new GatewayConnection(server.url(), null, Duration.ofSeconds(10));
    }

    /** The gateway serves alice's backup, sealed from {@code keys}, and a directory entry binding {@code bound}. */
    private void serve(Identity keys, Identity bound) {
        byte[] sealed = KeyBackup.seal("alice", "holder", keys.signing(), keys.encryption(), PASSPHRASE, 1_000L);
        server.answer("GET", "/v1/holders/alice/backup", 200, RecordingGateway.json(new HolderBackup("alice",
                ByteBuffer.wrap(sealed), 2_000L)));
        server.answer("GET", "/v1/principals/alice", 200, RecordingGateway.json(entryOf(bound)));
    }

    private static VerifiedPrincipal entryOf(Identity keys) {
        return new VerifiedPrincipal(PrincipalRecords.registration(keys.signing(), new PrincipalStatement("alice",
                "holder", keys.signing().publicKey(), keys.encryption().publicKey(), "Alice", 1_000L)), null, 1_000L,
                null, 0L, List.of());
    }

    @Test
    void theBackupOnThePlatformRestoresTheKeysTheDirectoryBindsAsKeysAreWritten() throws IOException {
        serve(fixture.holder, fixture.holder);

        Identity recovered = HolderClient.recover(keysDir, "alice", PASSPHRASE, withoutKeys(), trust);

        Identity loaded = Identity.load(keysDir, "alice");
        assertThat(loaded.signing().publicKey()).isEqualTo(fixture.holder.signing().publicKey());
        assertThat(loaded.encryption().publicKey()).isEqualTo(fixture.holder.encryption().publicKey());
        assertThat(loaded.role()).isEqualTo("holder");
        assertThat(recovered.signing().publicKey()).isEqualTo(fixture.holder.signing().publicKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir.resolve("alice"))))
                .isEqualTo("rwx------");
        for (String file : List.of("signing.pem", "encryption.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir.resolve("alice")
                    .resolve(file)))).as(file).isEqualTo("rw-------");
        }
        assertThat(server.received.get(0).header("Signature")).as("the backup is fetched unsigned").isNull();
    }

    @Test
    void aBackupOfKeysTheDirectoryNoLongerBindsIsRefused() {
        // Given a backup made before alice rotated her keys
        Identity rotated = new Identity("alice", "holder", SigningKeyPair.generate(), EncryptionKeyPair.generate());
        serve(fixture.holder, rotated);

        assertThatThrownBy(() -> HolderClient.recover(keysDir, "alice", PASSPHRASE, withoutKeys(), trust))
                .isInstanceOf(IdstreamException.class)
                .hasMessage("the backup holds keys that 'alice' no longer uses: it predates a key rotation");
        assertThat(keysDir.resolve("alice")).doesNotExist();
    }

    @Test
    void aWrongPassphraseIsOneClearError() {
        serve(fixture.holder, fixture.holder);

        assertThatThrownBy(() -> HolderClient.recover(keysDir, "alice", "not the passphrase".toCharArray(),
                withoutKeys(), trust)).isInstanceOf(IdstreamException.class)
                .hasMessage("the backup of 'alice' does not open: wrong passphrase (or the backup was altered)");
        assertThat(keysDir.resolve("alice")).doesNotExist();
    }

    @Test
    void existingKeysAreNeitherReplacedNorIsTheBackupFetched() {
        serve(fixture.holder, fixture.holder);
        Identity other = new Identity("alice", "holder", SigningKeyPair.generate(), EncryptionKeyPair.generate());
        other.save(keysDir);

        assertThatThrownBy(() -> HolderClient.recover(keysDir, "alice", PASSPHRASE, withoutKeys(), trust))
                .isInstanceOf(IdstreamException.class)
                .hasMessageStartingWith("keys for 'alice' already exist in " + keysDir.resolve("alice"));
        assertThat(server.received).as("requests to the gateway").isEmpty();
        assertThat(Identity.load(keysDir, "alice").signing().publicKey()).isEqualTo(other.signing().publicKey());
    }

    @Test
    void aBackupFileIsWrittenPrivateAndRestoresTheKeys() throws IOException {
        server.answer("GET", "/v1/principals/alice", 200, RecordingGateway.json(entryOf(fixture.holder)));
        Path file = elsewhere.resolve("alice.backup");
        try (HolderClient alice = new HolderClient(fixture.holder, new GatewayConnection(server.url(),
                fixture.holder), trust)) {
            alice.backupToFile(PASSPHRASE, file);
            assertThatThrownBy(() -> alice.backupToFile(PASSPHRASE, file)).isInstanceOf(IdstreamException.class)
                    .hasMessage(file + " exists: a backup does not replace a file");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN IDSTREAM BACKUP-----");

        Identity recovered = HolderClient.recoverFromFile(keysDir, "alice", PASSPHRASE, file, withoutKeys(), trust);

        assertThat(recovered.encryption().publicKey()).isEqualTo(fixture.holder.encryption().publicKey());
        assertThat(Identity.load(keysDir, "alice").signing().publicKey())
                .isEqualTo(fixture.holder.signing().publicKey());
    }

    /** Alice's backup written to a file of her own, as {@link HolderClient#backupToFile} writes it. */
    private Path backupFile() {
        server.answer("GET", "/v1/principals/alice", 200, RecordingGateway.json(entryOf(fixture.holder)));
        Path file = elsewhere.resolve("alice.backup");
        HolderBackups.toFile(fixture.holder, PASSPHRASE, file);
        return file;
    }

    @Test
    void aBackupFileReachedThroughASymbolicLinkIsRefused() throws IOException {
        // Given a link, planted where alice looks for her backup, to a file of someone else's choosing
        Path planted = Files.createSymbolicLink(elsewhere.resolve("planted.backup"), backupFile());

        assertThatThrownBy(() -> HolderClient.recoverFromFile(keysDir, "alice", PASSPHRASE, planted, withoutKeys(),
                trust)).isInstanceOf(IdstreamException.class).hasMessageContaining("is a symbolic link");
        assertThat(keysDir.resolve("alice")).doesNotExist();
    }

    @Test
    void aBackupFileOthersMayReplaceIsRefused() throws IOException {
        Path file = backupFile();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThatThrownBy(() -> HolderClient.recoverFromFile(keysDir, "alice", PASSPHRASE, file, withoutKeys(),
                trust)).isInstanceOf(IdstreamException.class).hasMessageContaining("has mode 666");
        assertThat(keysDir.resolve("alice")).doesNotExist();
    }

    @Test
    void aBackupFileThatIsAPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
        // Given a named pipe where the backup should be: reading it would wait for a writer for ever
        Path pipe = elsewhere.resolve("alice.backup");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).as("mkfifo's exit").isZero();

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> HolderClient
                .recoverFromFile(keysDir, "alice", PASSPHRASE, pipe, withoutKeys(), trust))
                .isInstanceOf(IdstreamException.class).hasMessageContaining("is not a regular file"));
    }

    @Test
    void aRoleFileLinkPlantedInTheKeysDirectoryIsReplacedNotWrittenThrough() throws IOException {
        // Given an empty keys directory for alice in which someone planted 'role' as a link to another file
        serve(fixture.holder, fixture.holder);
        Path victim = Files.writeString(elsewhere.resolve("victim"), "untouched\n");
        Files.createDirectories(keysDir.resolve("alice"));
        Files.createSymbolicLink(keysDir.resolve("alice").resolve("role"), victim);

        HolderClient.recover(keysDir, "alice", PASSPHRASE, withoutKeys(), trust);

        assertThat(Files.readString(victim)).as("the file the link pointed to").isEqualTo("untouched\n");
        assertThat(Files.isSymbolicLink(keysDir.resolve("alice").resolve("role"))).as("role is a link").isFalse();
        assertThat(Identity.load(keysDir, "alice").role()).isEqualTo("holder");
    }

    @Test
    void aBackupStoredOnThePlatformSealsTheHoldersOwnKeysUnderTheirPassphrase() throws IOException {
        server.answer("PUT", "/v1/holders/alice/backup", 204, "");
        try (HolderClient alice = new HolderClient(fixture.holder, new GatewayConnection(server.url(),
                fixture.holder), trust)) {
            assertThatThrownBy(() -> alice.backup("too short".toCharArray())).isInstanceOf(IdstreamException.class)
                    .hasMessageContaining("at least 12 characters");
            alice.backup(PASSPHRASE);
        }
        RecordingGateway.Received put = server.received.get(server.received.size() - 1);
        byte[] sealed = GatewayAnswers.bytes(GatewayConnection.JSON.readTree(put.body()).path("backup").asText(),
                "backup");
        assertThat(KeyBackup.readHeader(sealed).principalId()).isEqualTo("alice");
        assertThat(KeyBackup.open(sealed, PASSPHRASE).signing().publicKey())
                .isEqualTo(fixture.holder.signing().publicKey());
        assertThat(put.header("Signature")).as("the store is signed").isNotBlank();
    }
}
