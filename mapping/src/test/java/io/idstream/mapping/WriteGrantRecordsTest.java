package io.idstream.mapping;

import io.idstream.avro.ConsentRequest;
import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.crypto.CryptoException;
import io.idstream.crypto.SigningKeyPair;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteGrantRecordsTest {
    final SigningKeyPair holder = SigningKeyPair.generate();
    final SigningKeyPair issuer = SigningKeyPair.generate();
    final String writeGrantId = UUID.randomUUID().toString();

    @Test
    void aWriteGrantIsSignedWithItsTypesInProtocolOrderAndVerifies() {
        WriteGrant grant = WriteGrantRecords.writeGrant(holder, writeGrantId, "alice", "kyc-co", null,
                List.of("kyc", "address"), 1_000L, 2_000L);

        assertThat(grant.getCredentialTypes()).containsExactly("address", "kyc");
        assertThat(grant.getConsentRequestId()).isEmpty();
        WriteGrantRecords.verify(holder.publicKey(), grant);
        WriteGrant widened = WriteGrant.newBuilder(grant).setCredentialTypes(List.of("address", "kyc", "loan"))
                .build();
        assertThatThrownBy(() -> WriteGrantRecords.verify(holder.publicKey(), widened))
                .isInstanceOf(CryptoException.class)
                .hasMessage("holder signature of write grant " + writeGrantId + ": the signature does not verify");
    }

    @Test
    void aWriteGrantRevocationVerifiesUnderTheHolderKeyOnly() {
        WriteGrantRevocation revocation = WriteGrantRecords.revocation(holder, writeGrantId, "alice", 3_000L);

        WriteGrantRecords.verify(holder.publicKey(), revocation);
        assertThatThrownBy(() -> WriteGrantRecords.verify(issuer.publicKey(), revocation))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("revocation of write grant " + writeGrantId);
    }

    @Test
    void aConsentRequestVerifiesAndAChangedPurposeDoesNot() {
        String id = UUID.randomUUID().toString();
        ConsentRequest request = WriteGrantRecords.consentRequest(issuer, id, "kyc-co", "alice", List.of("kyc"),
                "to issue your KYC credential", 1_000L);

        WriteGrantRecords.verify(issuer.publicKey(), request);
        ConsentRequest changed = ConsentRequest.newBuilder(request).setPurpose("anything").build();
        assertThatThrownBy(() -> WriteGrantRecords.verify(issuer.publicKey(), changed))
                .isInstanceOf(CryptoException.class)
                .hasMessage("issuer signature of consent request " + id + ": the signature does not verify");
    }

    @Test
    void aRecordWhoseTypesAreOutOfOrderIsRefusedThoughItsSignatureIsGenuine() {
        WriteGrant grant = WriteGrantRecords.writeGrant(holder, writeGrantId, "alice", "kyc-co", "",
                List.of("address", "kyc"), 1_000L, 2_000L);
        // The TBS sorts the types, so the signature still covers this record: only the shape check refuses it.
        WriteGrant reordered = WriteGrant.newBuilder(grant).setCredentialTypes(List.of("kyc", "address")).build();

        assertThatThrownBy(() -> WriteGrantRecords.verify(holder.publicKey(), reordered))
                .isInstanceOf(CryptoException.class)
                .hasMessage("credential types are not in ascending order or repeat a type");
        assertThatThrownBy(() -> WriteGrantRecords.checkShape(reordered))
                .isInstanceOf(CryptoException.class)
                .hasMessage("credential types are not in ascending order or repeat a type");
    }

    @Test
    void aWriteGrantWithoutEndOrAConsentRequestRepeatingATypeIsNotSigned() {
        assertThatThrownBy(() -> WriteGrantRecords.writeGrant(holder, writeGrantId, "alice", "kyc-co", null,
                List.of("kyc"), 1_000L, 0L))
                .isInstanceOf(CryptoException.class).hasMessageContaining("a write grant always ends");
        assertThatThrownBy(() -> WriteGrantRecords.consentRequest(issuer, UUID.randomUUID().toString(), "kyc-co",
                "alice", List.of("kyc", "kyc"), "twice", 1_000L))
                .isInstanceOf(CryptoException.class)
                .hasMessage("credential types are not in ascending order or repeat a type");
    }
}
