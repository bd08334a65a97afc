package io.idstream.mapping;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.CredentialRekeyed;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.EncryptionKeyPair;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.CredentialHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RekeyRecordsTest {
    final SigningKeyPair issuer = SigningKeyPair.generate();
    final EncryptionKeyPair oldEncryption = EncryptionKeyPair.generate();
    final SigningKeyPair newSigning = SigningKeyPair.generate();
    final EncryptionKeyPair newEncryption = EncryptionKeyPair.generate();
    final String credentialId = UUID.randomUUID().toString();
    final CredentialIssued issued = CredentialRecords.toAvro(Credentials.issue(issuer,
            new CredentialHeader(credentialId, "alice", "kyc-co", "kyc", 1_000L, 0L), oldEncryption.publicKey(),
            Map.of("country", "DE")));

    @Test
    void aRekeyedCredentialOpensWithTheNewKeyAndVerifiesUnderTheNewSigningKey() {
        byte[] credentialKey = Credentials.unwrapCredentialKey(oldEncryption, CredentialRecords.header(issued),
                CredentialRecords.holderKey(issued));

        CredentialRekeyed rekeyed = RekeyRecords.rekey(newSigning, credentialId, "alice",
                newEncryption.publicKey(), credentialKey, 5_000L);

        RekeyRecords.verify(newSigning.publicKey(), rekeyed);
        Credentials.IssuedCredential original = CredentialRecords.fromAvro(issued);
        Credentials.IssuedCredential stored = new Credentials.IssuedCredential(original.header(), original.fields(),
                RekeyRecords.holderKey(rekeyed), original.issuerSignature());
        assertThat(Credentials.open(newEncryption, stored))
                .containsExactlyEntriesOf(Map.of("country", "DE"));
        CredentialRekeyed toAnotherKey = CredentialRekeyed.newBuilder(rekeyed)
                .setEncryptionKey(ByteBuffer.wrap(oldEncryption.publicKey())).build();
        assertThatThrownBy(() -> RekeyRecords.verify(newSigning.publicKey(), toAnotherKey))
                .isInstanceOf(CryptoException.class)
                .hasMessage("holder signature of the re-key of credential " + credentialId
                        + ": the signature does not verify");
    }

    @Test
    void aRekeyRecordWithATruncatedEncIsRefused() {
        byte[] credentialKey = Credentials.unwrapCredentialKey(oldEncryption, CredentialRecords.header(issued),
                CredentialRecords.holderKey(issued));
        CredentialRekeyed rekeyed = RekeyRecords.rekey(newSigning, credentialId, "alice",
                newEncryption.publicKey(), credentialKey, 5_000L);
        byte[] enc = AvroBytes.of(rekeyed.getHolderKeyEnc());
        CredentialRekeyed truncated = CredentialRekeyed.newBuilder(rekeyed)
                .setHolderKeyEnc(ByteBuffer.wrap(enc, 0, 31)).build();

        assertThatThrownBy(() -> RekeyRecords.checkShape(truncated))
                .isInstanceOf(CryptoException.class).hasMessageContaining("holderKeyEnc is not 32 bytes");
        assertThatThrownBy(() -> RekeyRecords.verify(newSigning.publicKey(), truncated))
                .isInstanceOf(CryptoException.class).hasMessageContaining("holderKeyEnc is not 32 bytes");
    }
}
