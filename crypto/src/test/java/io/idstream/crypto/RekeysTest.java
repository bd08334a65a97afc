package io.idstream.crypto;

import io.idstream.crypto.Rekeys.SignedRekey;
import io.idstream.crypto.Statements.CredentialHeader;
import io.idstream.crypto.Statements.RekeyStatement;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A re-key (docs/protocol.md section 6b) opens with the holder's new key as an issued credential does, and its
 * signature covers the key it is sealed to and the sealed value itself, so nobody can swap either under it.
 */
class RekeysTest {
    final SigningKeyPair issuer = SigningKeyPair.generate();
    final EncryptionKeyPair oldEncryption = EncryptionKeyPair.generate();
    final SigningKeyPair newSigning = SigningKeyPair.generate();
    final EncryptionKeyPair newEncryption = EncryptionKeyPair.generate();
    final String credentialId = UUID.randomUUID().toString();
    final Credentials.IssuedCredential issued = Credentials.issue(issuer,
            new CredentialHeader(credentialId, "alice", "kyc-co", "kyc", 1_000L, 0L), oldEncryption.publicKey(),
            Map.of("country", "DE"));
    final byte[] credentialKey = Credentials.unwrapCredentialKey(oldEncryption, issued.header(), issued.holderKey());
    final SignedRekey rekey = Rekeys.rekey(newSigning, credentialId, "alice", newEncryption.publicKey(),
            credentialKey, 5_000L);
    final RekeyStatement genuine = rekey.statement();

    @Test
    void theRekeyedCredentialOpensWithTheNewKeyAlone() {
        Credentials.IssuedCredential rekeyed = new Credentials.IssuedCredential(issued.header(), issued.fields(),
                new Sealed(genuine.holderKeyEnc(), genuine.holderKeyCiphertext()), issued.issuerSignature());

        assertThat(Credentials.open(newEncryption, rekeyed)).containsExactlyEntriesOf(Map.of("country", "DE"));
        assertThatThrownBy(() -> Credentials.open(oldEncryption, rekeyed))
                .isInstanceOf(CryptoException.class).hasMessageContaining("does not unwrap for holder alice");
        Rekeys.verify(newSigning.publicKey(), genuine, rekey.signature());
    }

    @Test
    void theSignatureCoversTheEncryptionKeyAndTheSealedKey() {
        byte[] otherEnc = EncryptionKeyPair.generate().publicKey();
        byte[] alteredCiphertext = genuine.holderKeyCiphertext().clone();
        alteredCiphertext[0] ^= 1;
        RekeyStatement[] swapped = {
                new RekeyStatement(credentialId, "alice", oldEncryption.publicKey(), genuine.holderKeyEnc(),
                        genuine.holderKeyCiphertext(), genuine.rekeyedAt()),
                new RekeyStatement(credentialId, "alice", genuine.encryptionKey(), otherEnc,
                        genuine.holderKeyCiphertext(), genuine.rekeyedAt()),
                new RekeyStatement(credentialId, "alice", genuine.encryptionKey(), genuine.holderKeyEnc(),
                        alteredCiphertext, genuine.rekeyedAt())};
        for (RekeyStatement statement : swapped) {
            assertThatThrownBy(() -> Rekeys.verify(newSigning.publicKey(), statement, rekey.signature()))
                    .isInstanceOf(CryptoException.class)
                    .hasMessage("holder signature of the re-key of credential " + credentialId
                            + ": the signature does not verify");
        }
    }

    @Test
    void theSignatureCoversTheIdsAndTheTime() {
        RekeyStatement[] changed = {
                new RekeyStatement(UUID.randomUUID().toString(), "alice", genuine.encryptionKey(),
                        genuine.holderKeyEnc(), genuine.holderKeyCiphertext(), genuine.rekeyedAt()),
                new RekeyStatement(credentialId, "bob", genuine.encryptionKey(), genuine.holderKeyEnc(),
                        genuine.holderKeyCiphertext(), genuine.rekeyedAt()),
                new RekeyStatement(credentialId, "alice", genuine.encryptionKey(), genuine.holderKeyEnc(),
                        genuine.holderKeyCiphertext(), genuine.rekeyedAt() + 1)};
        for (RekeyStatement statement : changed) {
            assertThatThrownBy(() -> Rekeys.verify(newSigning.publicKey(), statement, rekey.signature()))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("the signature does not verify");
        }
    }

    @Test
    void aRekeyOfTheWrongShapeIsRefusedEvenWithAGenuineSignature() {
        byte[] shortEnc = Arrays.copyOf(genuine.holderKeyEnc(), 31);
        byte[] longCiphertext = Arrays.copyOf(genuine.holderKeyCiphertext(), 49);
        byte[] shortKey = Arrays.copyOf(genuine.encryptionKey(), 31);
        Object[][] cases = {
                {new RekeyStatement(credentialId, "alice", genuine.encryptionKey(), shortEnc,
                        genuine.holderKeyCiphertext(), 5_000L), "holderKeyEnc is not 32 bytes"},
                {new RekeyStatement(credentialId, "alice", genuine.encryptionKey(), genuine.holderKeyEnc(),
                        longCiphertext, 5_000L), "holderKeyCiphertext is not 48 bytes"},
                {new RekeyStatement(credentialId, "alice", shortKey, genuine.holderKeyEnc(),
                        genuine.holderKeyCiphertext(), 5_000L), "encryption key of a re-key is 32 bytes, not 31"},
                {new RekeyStatement("cred-1", "alice", genuine.encryptionKey(), genuine.holderKeyEnc(),
                        genuine.holderKeyCiphertext(), 5_000L), "credential id 'cred-1'"},
                {new RekeyStatement(credentialId, "Alice", genuine.encryptionKey(), genuine.holderKeyEnc(),
                        genuine.holderKeyCiphertext(), 5_000L), "holder id 'Alice'"}};
        for (Object[] refused : cases) {
            RekeyStatement statement = (RekeyStatement) refused[0];
            byte[] genuineSignature = newSigning.sign(statement.toBeSigned());
            assertThatThrownBy(() -> Rekeys.verify(newSigning.publicKey(), statement, genuineSignature))
                    .isInstanceOf(CryptoException.class).hasMessageContaining((String) refused[1]);
        }
    }

    @Test
    void aCredentialKeyOfTheWrongLengthIsNotSealed() {
        assertThatThrownBy(() -> Rekeys.rekey(newSigning, credentialId, "alice", newEncryption.publicKey(),
                Arrays.copyOf(credentialKey, 16), 5_000L))
                .isInstanceOf(CryptoException.class).hasMessage("the credential key of a re-key is 32 bytes, not 16");
    }
}
