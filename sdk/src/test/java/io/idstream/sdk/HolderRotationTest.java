package io.idstream.sdk;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.KeyBackup;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.mapping.CredentialRecords;
import io.idstream.mapping.PrincipalRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A holder's key rotation cut short at each of its steps, as a crash of the client would cut it, and run again from
 * the keys directory: it resumes from the step the directory and the vault show it reached, and ends with the keys the
 * directory binds in place, no next/ directory, and every credential's key sealed to the new encryption key alone.
 * The gateway here keeps state and takes a request only under the key its directory binds, as the real one does.
 */
class HolderRotationTest {
    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path keysDir;

    final DeliveryFixture fixture = new DeliveryFixture();
    final CredentialIssued second = CredentialRecords.toAvro(Credentials.issue(fixture.issuer,
            new CredentialHeader(UUID.randomUUID().toString(), "alice", "kyc-co", "address", 1_500L, 0L),
            fixture.holder.encryption().publicKey(), Map.of("city", "Berlin")));
    final StatefulGateway gateway;

    HolderRotationTest() throws IOException {
        gateway = new StatefulGateway(fixture.holder, List.of(fixture.credential, second),
                List.of(fixture.grant(List.of("country"))));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** A client of alice as a restarted program makes it: from the keys directory. */
    private HolderClient client() {
        Identity alice = Identity.load(keysDir, "alice");
        return new HolderClient(alice, new GatewayConnection(gateway.url(), alice), ConsumerTrust.forHolder(List.of()));
    }

    private void rotateAndCrash() {
        try (HolderClient alice = client()) {
            assertThatThrownBy(() -> alice.rotate(keysDir)).isInstanceOf(GatewayRefusal.class)
                    .hasMessageContaining("500 crashed");
        }
    }

    private Rotation rotate() {
        try (HolderClient alice = client()) {
            Rotation rotation = alice.rotate(keysDir);
            assertThat(alice.identity().signing().publicKey()).as("the client's keys after the rotation")
                    .isEqualTo(Identity.load(keysDir, "alice").signing().publicKey());
            return rotation;
        }
    }

    /** The keys in place are the ones the directory binds, new ones, and every credential opens with them alone. */
    private void assertRotatedTo(Identity expected) {
        Identity now = Identity.load(keysDir, "alice");
        assertThat(now.signing().publicKey()).isEqualTo(expected.signing().publicKey())
                .isNotEqualTo(fixture.holder.signing().publicKey());
        assertThat(now.encryption().publicKey()).isEqualTo(expected.encryption().publicKey());
        assertThat(PrincipalRecords.signingKey(gateway.entry().getPrincipal())).as("bound signing key")
                .isEqualTo(now.signing().publicKey());
        assertThat(PrincipalRecords.encryptionKey(gateway.entry().getPrincipal())).as("bound encryption key")
                .isEqualTo(now.encryption().publicKey());
        assertThat(keysDir.resolve("alice").resolve("next")).doesNotExist();
        assertThat(gateway.vault()).hasSize(2).allSatisfy(stored -> {
            assertThat(opensWith(stored, now.encryption())).as("opens with the new key").isTrue();
            assertThat(opensWith(stored, fixture.holder.encryption())).as("opens with the old key").isFalse();
        });
    }

    private static boolean opensWith(StoredCredential stored, EncryptionKeyPair key) {
        Credentials.IssuedCredential issued = CredentialRecords.fromAvro(stored.getCredential());
        try {
            Credentials.unwrapCredentialKey(key, issued.header(), issued.holderKey());
            return true;
        } catch (CryptoException e) {
            return false;
        }
    }

    private Identity nextKeys() {
        return Identity.loadNext(keysDir, "alice").orElseThrow();
    }

    @Test
    void aRotationThatRunsThroughReKeysEveryCredentialAndEndsTheGrantsOfTheOldKey() {
        fixture.holder.save(keysDir);

        Rotation rotation = rotate();

        assertThat(rotation).isEqualTo(new Rotation(2, 1));
        assertRotatedTo(Identity.load(keysDir, "alice"));
    }

    @Test
    void aRotationGivenTheBackupPassphraseReplacesTheBackupOfTheOldKeysWithOneOfTheNew() {
        // Given alice's backup on the platform, of the keys she is about to replace
        fixture.holder.save(keysDir);
        try (HolderClient alice = client()) {
            assertThat(alice.hasBackup()).as("a backup kept before any").isFalse();
            alice.backup(PASSPHRASE);
            assertThat(alice.hasBackup()).as("a backup kept once stored").isTrue();
        }

        // When she rotates them, giving her backup's passphrase
        Rotation rotation;
        try (HolderClient alice = client()) {
            rotation = alice.rotate(keysDir, PASSPHRASE);
        }

        // Then the backup anyone can fetch holds the new keys, not the replaced ones
        assertThat(rotation).isEqualTo(new Rotation(2, 1));
        Identity now = Identity.load(keysDir, "alice");
        assertRotatedTo(now);
        KeyBackup.Opened kept = KeyBackup.open(gateway.backup(), PASSPHRASE);
        assertThat(kept.signing().publicKey()).as("the backed-up signing key").isEqualTo(now.signing().publicKey());
        assertThat(kept.encryption().publicKey()).as("the backed-up encryption key")
                .isEqualTo(now.encryption().publicKey());
    }

    @Test
    void aRotationWithAPassphraseTooShortForABackupChangesNothing() {
        fixture.holder.save(keysDir);

        try (HolderClient alice = client()) {
            assertThatThrownBy(() -> alice.rotate(keysDir, "too short".toCharArray()))
                    .isInstanceOf(IdstreamException.class).hasMessageContaining("at least 12 characters");
        }

        assertThat(PrincipalRecords.signingKey(gateway.entry().getPrincipal())).as("bound signing key")
                .isEqualTo(fixture.holder.signing().publicKey());
        assertThat(keysDir.resolve("alice").resolve("next")).doesNotExist();
        assertThat(gateway.backup()).isNull();
    }

    @Test
    void aRotationCutShortBeforeItsRegistrationResumesWithTheKeysItWroteFirst() {
        // Given a rotation that wrote its new keys and then stopped before the gateway took the registration
        fixture.holder.save(keysDir);
        gateway.failAt("POST registration", 1, false);
        rotateAndCrash();
        Identity written = nextKeys();
        assertThat(PrincipalRecords.signingKey(gateway.entry().getPrincipal()))
                .isEqualTo(fixture.holder.signing().publicKey());

        // When it runs again, then it registers the keys it wrote first, and re-keys everything to them
        assertThat(rotate()).isEqualTo(new Rotation(2, 1));
        assertRotatedTo(written);
    }

    @Test
    void aRotationCutShortOnceItsRegistrationWasTakenResumesUnderTheNewKeys() {
        // Given a rotation whose registration the directory took, the client gone before it heard so
        fixture.holder.save(keysDir);
        gateway.failAt("POST registration", 1, true);
        rotateAndCrash();
        Identity registered = nextKeys();

        // When it runs again from the old keys in place (which the gateway no longer takes), then it goes on
        assertThat(rotate()).isEqualTo(new Rotation(2, 0));
        assertRotatedTo(registered);
    }

    @Test
    void aRotationCutShortAfterOneReKeyReKeysOnlyTheRest() {
        // Given a rotation that re-keyed the first credential and stopped
        fixture.holder.save(keysDir);
        gateway.failAt("POST decision", 1, true);
        rotateAndCrash();
        Identity registered = nextKeys();

        // When it runs again, then it re-keys the other credential only
        assertThat(rotate()).isEqualTo(new Rotation(1, 0));
        assertRotatedTo(registered);
    }

    @Test
    void aRotationCutShortWhileMovingTheNewKeysIntoPlaceFinishesTheMove() throws IOException {
        // Given a rotation that re-keyed everything, then moved only the new encryption key into place
        fixture.holder.save(keysDir);
        gateway.failAt("POST decision", 2, true);
        rotateAndCrash();
        Identity registered = nextKeys();
        Path alice = keysDir.resolve("alice");
        Files.move(alice.resolve("next").resolve("encryption.pem"), alice.resolve("encryption.pem"),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        // When it runs again, then it finds the new keys half in place and finishes
        assertThat(rotate()).isEqualTo(new Rotation(0, 0));
        assertRotatedTo(registered);
    }
}
