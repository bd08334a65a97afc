package io.idstream.it.lifecycle;

import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.it.SignedHttp;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.ConsumerTrust;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.GatewayConnection;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.HolderClient.Scope;
import io.idstream.sdk.Identity;
import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.IssuerClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.idstream.it.lifecycle.LifecyclePlatform.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sealed key backups and recovery (docs/protocol.md section 17): a holder's private keys sealed under a key derived
 * from a passphrase with Argon2id, kept on the platform's compacted backup topic or in a file. From the passphrase
 * alone, on a machine whose keys dir is empty, the holder is restored and acts again; a wrong passphrase is one clear
 * error; a backup of keys that a rotation replaced is refused; and the topic holds no private key in the clear.
 */
@Timeout(240)
class BackupRecoveryIT {
    private static final Map<String, String> KYC = Map.of("country", "DE", "age_over_18", "true");
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final String WRONG_PASSPHRASE_ERROR = "wrong passphrase (or the backup was altered)";

    @TempDir
    static Path dir;
    static LifecyclePlatform lifecycle;
    static IssuerClient kycCo;
    static ConsumerClient exchange;

    @BeforeAll
    static void start() {
        lifecycle = new LifecyclePlatform(dir);
        kycCo = lifecycle.issuer("kyc-co");
        exchange = lifecycle.consumer("exchange-a");
    }

    @AfterAll
    static void stop() {
        if (lifecycle != null) {
            lifecycle.close();
        }
    }

    @Test
    void aHolderRecoversFromThePassphraseAloneAndApprovesARequest() throws IOException {
        // Given alice, whose private keys the test knows byte for byte, with a credential, backed up to the platform.
        byte[] signingSeed = randomKey();
        byte[] encryptionKey = randomKey();
        Identity original = new Identity("alice", "holder", SigningKeyPair.fromPrivateKey(signingSeed),
                EncryptionKeyPair.fromPrivateKey(encryptionKey));
        original.save(lifecycle.keys);
        HolderClient alice = lifecycle.holderClient(original);
        alice.register("alice");
        lifecycle.allow(alice, kycCo, List.of("kyc"));
        String kyc = lifecycle.issueStored(kycCo, "alice", "kyc", KYC);
        alice.awaitCredential(kyc, WAIT);

        alice.backup(PASSPHRASE);
        awaitBackupServed(original);

        List<ConsumerRecord<byte[], byte[]>> stored = lifecycle.rawRecords(
                lifecycle.platform.catalog().holderBackups().name()).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("alice")).toList();
        assertThat(stored).as("alice's records on the backup topic").hasSize(1);
        byte[] onTheTopic = stored.get(0).value();
        for (byte[] secret : List.of(signingSeed, encryptionKey)) {
            assertThat(forms(secret)).as("a private key of alice's, in any form, in the backup topic's record")
                    .noneMatch(form -> contains(onTheTopic, form));
        }
        assertThat(new String(onTheTopic, StandardCharsets.ISO_8859_1)).as("the backup topic's record")
                .doesNotContain("PRIVATE KEY");

        // When her keys are gone, and she recovers them with her passphrase alone.
        deleteKeys("alice");
        Identity recovered = HolderClient.recover(lifecycle.keys, "alice", PASSPHRASE.clone(), unsignedConnection(),
                trust());

        // Then her keys are back, on disk too, and she approves a request that exchange-a verifies.
        assertThat(recovered.signing().publicKey()).isEqualTo(original.signing().publicKey());
        assertThat(recovered.encryption().publicKey()).isEqualTo(original.encryption().publicKey());
        Identity reloaded = Identity.load(lifecycle.keys, "alice");
        assertThat(reloaded.signing().publicKey()).as("alice's signing key restored to her keys dir")
                .isEqualTo(original.signing().publicKey());
        HolderClient restored = lifecycle.holderClient(reloaded);
        assertThat(restored.open(kyc)).as("alice's credential, opened with the recovered keys").isEqualTo(KYC);
        try (DeliveryWatch deliveries = new DeliveryWatch(exchange, "alice")) {
            String request = exchange.requestCredential("alice", kyc, List.of("country"), "onboarding");
            restored.awaitPending(request, WAIT);
            restored.approve(request, new Scope(null, null, 0));
            assertThat(deliveries.answerTo(request)).as("exchange-a's delivery from the recovered alice")
                    .isInstanceOfSatisfying(DeliveryOutcome.Delivered.class,
                            d -> assertThat(d.values()).containsExactlyEntriesOf(Map.of("country", "DE")));
        }
    }

    @Test
    void aWrongPassphraseIsRefusedWithOneClearErrorAndRestoresNothing() throws IOException {
        HolderClient bob = lifecycle.holder("bob");
        bob.backup(PASSPHRASE);
        awaitBackupServed(bob.identity());
        deleteKeys("bob");

        assertThatThrownBy(() -> HolderClient.recover(lifecycle.keys, "bob",
                "correct horse battery stapler".toCharArray(), unsignedConnection(), trust()))
                .as("recovery with a wrong passphrase").isInstanceOf(IdstreamException.class)
                .hasMessageContaining(WRONG_PASSPHRASE_ERROR);
        assertThat(lifecycle.keys.resolve("bob").resolve("signing.pem")).as("bob's signing key file").doesNotExist();
        // The right passphrase still opens it.
        Identity recovered = HolderClient.recover(lifecycle.keys, "bob", PASSPHRASE.clone(), unsignedConnection(),
                trust());
        assertThat(recovered.signing().publicKey()).isEqualTo(bob.identity().signing().publicKey());
    }

    @Test
    void aFileBackupRestoresTheHolderTheSameWay() throws IOException {
        HolderClient carol = lifecycle.holder("carol");
        lifecycle.allow(carol, kycCo, List.of("kyc"));
        String kyc = lifecycle.issueStored(kycCo, "carol", "kyc", KYC);
        carol.awaitCredential(kyc, WAIT);
        Path file = dir.resolve("carol.backup");

        carol.backupToFile(PASSPHRASE, file);

        assertThat(Files.getPosixFilePermissions(file)).as("the backup file's mode")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).startsWith("-----BEGIN IDSTREAM BACKUP-----")
                .doesNotContain(carol.identity().signing().toPem().strip());
        deleteKeys("carol");
        assertThatThrownBy(() -> HolderClient.recoverFromFile(lifecycle.keys, "carol", "not carol's passphrase"
                .toCharArray(), file, unsignedConnection(), trust())).as("recovery from the file, wrong passphrase")
                .isInstanceOf(IdstreamException.class).hasMessageContaining(WRONG_PASSPHRASE_ERROR);

        Identity recovered = HolderClient.recoverFromFile(lifecycle.keys, "carol", PASSPHRASE.clone(), file,
                unsignedConnection(), trust());

        assertThat(recovered.signing().publicKey()).isEqualTo(carol.identity().signing().publicKey());
        assertThat(lifecycle.holderClient(Identity.load(lifecycle.keys, "carol")).open(kyc))
                .as("carol's credential, opened with the keys recovered from the file").isEqualTo(KYC);
    }

    @Test
    void recoveryRefusesABackupThatPredatesARotation() throws IOException {
        HolderClient dave = lifecycle.holder("dave");
        Path file = dir.resolve("dave.backup");
        dave.backup(PASSPHRASE);
        awaitBackupServed(dave.identity());
        dave.backupToFile(PASSPHRASE, file);
        dave.rotate(lifecycle.keys);
        deleteKeys("dave");

        assertThatThrownBy(() -> HolderClient.recover(lifecycle.keys, "dave", PASSPHRASE.clone(),
                unsignedConnection(), trust())).as("recovery from the platform's backup, made before the rotation")
                .isInstanceOf(IdstreamException.class).hasMessageContaining("predates a key rotation");
        assertThatThrownBy(() -> HolderClient.recoverFromFile(lifecycle.keys, "dave", PASSPHRASE.clone(), file,
                unsignedConnection(), trust())).as("recovery from the file backup, made before the rotation")
                .isInstanceOf(IdstreamException.class).hasMessageContaining("predates a key rotation");
        assertThat(lifecycle.keys.resolve("dave").resolve("signing.pem")).as("dave's signing key file")
                .doesNotExist();
    }

    /**
     * Waits until the gateway serves the holder's backup, which it reads back from the topic it wrote it to. Its
     * export says so; the backup route itself answers only a few reads an hour.
     */
    private static void awaitBackupServed(Identity holder) {
        Awaitility.await(holder.id() + "'s backup served by the gateway").atMost(WAIT)
                .pollInterval(Duration.ofMillis(500)).until(() -> SignedHttp.send(SignedHttp.get(holder,
                        lifecycle.platform.gatewayUrl().resolve("/v1/holders/" + holder.id() + "/export")))
                        .json().path("backup").has("storedAt"));
    }

    private static GatewayConnection unsignedConnection() {
        return new GatewayConnection(lifecycle.platform.gatewayUrl(), null, Duration.ofSeconds(30));
    }

    private static ConsumerTrust trust() {
        return ConsumerTrust.forHolder(List.of(lifecycle.platform.operatorKey().publicKey()));
    }

    /** The holder's keys dir emptied, as on a new machine. */
    private static void deleteKeys(String id) throws IOException {
        lifecycle.deleteKeys(id);
        assertThatThrownBy(() -> Identity.load(lifecycle.keys, id)).as(id + "'s keys after deleting them")
                .isInstanceOf(IdstreamException.class);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** A raw key as bytes, and as the hex and base64 text a careless writer could put it in. */
    private static List<byte[]> forms(byte[] key) {
        return List.of(key, HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encodeToString(key).getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
