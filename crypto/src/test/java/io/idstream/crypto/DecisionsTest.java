package io.idstream.crypto;

import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each signed statement verifies with its signer's key and with no other, and a change to any term breaks it. */
class DecisionsTest {
    final SigningKeyPair holder = SigningKeyPair.generate();
    final SigningKeyPair stranger = SigningKeyPair.generate();
    final String requestId = UUID.randomUUID().toString();

    @Test
    void requestsAreBoundToTheirTerms() {
        RequestStatement request = new RequestStatement(requestId, "exchange-a", "alice", "kyc", "", "onboarding",
                1L, List.of("country", "age_over_18"));
        byte[] signature = Decisions.signRequest(stranger, request);
        assertThatCode(() -> Decisions.verifyRequest(stranger.publicKey(), request, signature))
                .doesNotThrowAnyException();
        RequestStatement widened = new RequestStatement(requestId, "exchange-a", "alice", "kyc", "", "onboarding",
                1L, List.of("country", "age_over_18", "full_name"));
        assertThatThrownBy(() -> Decisions.verifyRequest(stranger.publicKey(), widened, signature))
                .isInstanceOf(CryptoException.class).hasMessageContaining("request " + requestId)
                .hasMessageContaining("does not verify");
        assertThatThrownBy(() -> Decisions.signRequest(stranger, new RequestStatement(requestId, "exchange-a",
                "alice", "", "", "p", 1L, List.of("country"))))
                .isInstanceOf(CryptoException.class).hasMessageContaining("neither a credential type nor id");
        assertThatThrownBy(() -> Decisions.signRequest(stranger, new RequestStatement("not-a-uuid", "exchange-a",
                "alice", "kyc", "", "p", 1L, List.of("country"))))
                .isInstanceOf(CryptoException.class).hasMessageContaining("request id");
    }

    @Test
    void holderDecisionsVerifyOnlyWithTheHoldersKey() {
        byte[] denial = Decisions.signDenial(holder, requestId, "alice", 5L);
        assertThatCode(() -> Decisions.verifyDenial(holder.publicKey(), requestId, "alice", 5L, denial))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Decisions.verifyDenial(stranger.publicKey(), requestId, "alice", 5L, denial))
                .isInstanceOf(CryptoException.class).hasMessageContaining("denial of request " + requestId);
        assertThatThrownBy(() -> Decisions.verifyDenial(holder.publicKey(), requestId, "bob", 5L, denial))
                .isInstanceOf(CryptoException.class);

        String grantId = UUID.randomUUID().toString();
        byte[] revocation = Decisions.signRevocation(holder, grantId, "alice", 6L);
        assertThatThrownBy(() -> Decisions.verifyRevocation(holder.publicKey(), grantId, "alice", 7L, revocation))
                .isInstanceOf(CryptoException.class).hasMessageContaining("revocation of grant " + grantId);

        String credentialId = UUID.randomUUID().toString();
        byte[] erasure = Decisions.signErasure(holder, credentialId, "alice", 8L);
        assertThatCode(() -> Decisions.verifyErasure(holder.publicKey(), credentialId, "alice", 8L, erasure))
                .doesNotThrowAnyException();
        // A denial's signature is no erasure's: the domain tags differ.
        assertThatThrownBy(() -> Decisions.verifyErasure(holder.publicKey(), requestId, "alice", 5L, denial))
                .isInstanceOf(CryptoException.class);

        byte[] issuerRevocation = Decisions.signCredentialRevocation(stranger, credentialId, "kyc-co", "stolen", 9L);
        assertThatThrownBy(() -> Decisions.verifyCredentialRevocation(stranger.publicKey(), credentialId, "kyc-co",
                "expired", 9L, issuerRevocation)).isInstanceOf(CryptoException.class);
    }

    @Test
    void aGenuineRevocationAndIssuerRevocationVerify() {
        String grantId = UUID.randomUUID().toString();
        byte[] revocation = Decisions.signRevocation(holder, grantId, "alice", 6L);
        assertThatCode(() -> Decisions.verifyRevocation(holder.publicKey(), grantId, "alice", 6L, revocation))
                .doesNotThrowAnyException();
        String credentialId = UUID.randomUUID().toString();
        byte[] issuerRevocation = Decisions.signCredentialRevocation(stranger, credentialId, "kyc-co", "stolen", 9L);
        assertThatCode(() -> Decisions.verifyCredentialRevocation(stranger.publicKey(), credentialId, "kyc-co",
                "stolen", 9L, issuerRevocation)).doesNotThrowAnyException();
    }

    @Test
    void aRequestForAFieldOfAnotherShapeIsNeverSigned() {
        assertThatThrownBy(() -> Decisions.signRequest(stranger, new RequestStatement(requestId, "exchange-a",
                "alice", "kyc", "", "p", 1L, List.of("country", "Country; DROP"))))
                .isInstanceOf(CryptoException.class).hasMessageContaining("field name 'Country; DROP'");
    }

    @Test
    void registrationIsBoundToTheKeyAlreadyHoldingTheId() {
        EncryptionKeyPair encryption = EncryptionKeyPair.generate();
        PrincipalStatement first = new PrincipalStatement("alice", "holder", holder.publicKey(),
                encryption.publicKey(), "Alice", 1L);
        byte[] selfSigned = Decisions.signPrincipal(holder, first);
        assertThatCode(() -> Decisions.verifyPrincipal(null, first, selfSigned)).doesNotThrowAnyException();

        // A stranger re-registers "alice" with its own key, self-signed: refused against the bound key.
        PrincipalStatement takeover = new PrincipalStatement("alice", "holder", stranger.publicKey(),
                encryption.publicKey(), "Alice", 2L);
        byte[] strangerSigned = Decisions.signPrincipal(stranger, takeover);
        assertThatThrownBy(() -> Decisions.verifyPrincipal(holder.publicKey(), takeover, strangerSigned))
                .isInstanceOf(CryptoException.class).hasMessageContaining("registration of alice");
    }

    @Test
    void accreditationNeedsTheOperatorsKey() {
        SigningKeyPair operator = SigningKeyPair.generate();
        AccreditationStatement accreditation = new AccreditationStatement("kyc-co", "issuer",
                stranger.publicKey(), 3L);
        byte[] selfAccredited = Decisions.signAccreditation(stranger, accreditation);
        assertThatThrownBy(() -> Decisions.verifyAccreditation(operator.publicKey(), accreditation, selfAccredited))
                .isInstanceOf(CryptoException.class).hasMessageContaining("accreditation of kyc-co");
        byte[] genuine = Decisions.signAccreditation(operator, accreditation);
        assertThatCode(() -> Decisions.verifyAccreditation(operator.publicKey(), accreditation, genuine))
                .doesNotThrowAnyException();
    }
}
