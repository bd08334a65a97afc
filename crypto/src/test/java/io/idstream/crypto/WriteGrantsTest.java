package io.idstream.crypto;

import io.idstream.crypto.Statements.ConsentRequestStatement;
import io.idstream.crypto.Statements.WriteGrantRevocationStatement;
import io.idstream.crypto.Statements.WriteGrantStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Write grants and consent requests of the wrong shape (docs/protocol.md section 6a) are refused before they are
 * signed, and refused by a verifier even when their signature is genuine: a holder's key signing a malformed record
 * does not make it acceptable.
 */
class WriteGrantsTest {
    static final String WRITE_GRANT_ID = "0b7c2f4e-3a1d-4c5b-9e8f-7a6b5c4d3e2f";
    static final String CONSENT_REQUEST_ID = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
    final SigningKeyPair holder = SigningKeyPair.generate();

    static WriteGrantStatement writeGrant(List<String> types) {
        return new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", "", 1_000L, 2_000L, types);
    }

    static List<String> typesNamed(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("type-%02d", i)).toList();
    }

    static Stream<Arguments> malformedWriteGrants() {
        String longest = "k".repeat(Identifiers.MAX_CREDENTIAL_TYPE_BYTES);
        return Stream.of(
                arguments("no type", writeGrant(List.of()), "names at least one type"),
                arguments("17 types", writeGrant(typesNamed(17)), "at most 16 types, not 17"),
                arguments("unsorted types", writeGrant(List.of("kyc", "address")),
                        "not in ascending order or repeat a type"),
                arguments("a repeated type", writeGrant(List.of("kyc", "kyc")),
                        "not in ascending order or repeat a type"),
                arguments("an empty type", writeGrant(List.of("")), "is 0 bytes"),
                arguments("a type of 129 bytes", writeGrant(List.of(longest + "k")), "is 129 bytes"),
                // "é" is two bytes of UTF-8: 65 characters, 130 bytes
                arguments("a type of 130 bytes in 65 characters", writeGrant(List.of("é".repeat(65))),
                        "is 130 bytes"),
                arguments("expiresAt equal to issuedAt", new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", "",
                        1_000L, 1_000L, List.of("kyc")), "a write grant always ends"),
                arguments("expiresAt 0", new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", "", 1_000L, 0L,
                        List.of("kyc")), "a write grant always ends"),
                arguments("a write grant id that is no UUID", new WriteGrantStatement("grant-1", "alice", "kyc-co", "",
                        1_000L, 2_000L, List.of("kyc")), "write grant id 'grant-1'"),
                arguments("a bad holder id", new WriteGrantStatement(WRITE_GRANT_ID, "Alice", "kyc-co", "", 1_000L,
                        2_000L, List.of("kyc")), "holder id 'Alice'"),
                arguments("a bad issuer id", new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc co", "", 1_000L,
                        2_000L, List.of("kyc")), "issuer id 'kyc co'"),
                arguments("a consent request id that is no UUID", new WriteGrantStatement(WRITE_GRANT_ID, "alice",
                        "kyc-co", "request-1", 1_000L, 2_000L, List.of("kyc")), "consent request id 'request-1'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedWriteGrants")
    void aMalformedWriteGrantIsNeitherSignedNorVerified(String what, WriteGrantStatement grant, String problem) {
        assertThatThrownBy(() -> WriteGrants.signWriteGrant(holder, grant))
                .isInstanceOf(CryptoException.class).hasMessageContaining(problem);
        byte[] genuineSignature = holder.sign(grant.toBeSigned());
        assertThatThrownBy(() -> WriteGrants.verifyWriteGrant(holder.publicKey(), grant, genuineSignature))
                .isInstanceOf(CryptoException.class).hasMessageContaining(problem);
    }

    @Test
    void theLimitsThemselvesAreAllowed() {
        List<String> sixteen = typesNamed(16);
        List<String> longest = List.of("k".repeat(Identifiers.MAX_CREDENTIAL_TYPE_BYTES));
        for (WriteGrantStatement grant : List.of(writeGrant(sixteen), writeGrant(longest),
                new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", CONSENT_REQUEST_ID, 1_000L, 1_001L,
                        List.of("kyc")))) {
            byte[] signature = WriteGrants.signWriteGrant(holder, grant);
            assertThatCode(() -> WriteGrants.verifyWriteGrant(holder.publicKey(), grant, signature))
                    .doesNotThrowAnyException();
        }
    }

    static Stream<Arguments> malformedConsentRequests() {
        return Stream.of(
                arguments("no type", consentRequest(CONSENT_REQUEST_ID, "kyc-co", "alice", List.of()),
                        "names at least one type"),
                arguments("17 types", consentRequest(CONSENT_REQUEST_ID, "kyc-co", "alice", typesNamed(17)),
                        "at most 16 types, not 17"),
                arguments("unsorted types", consentRequest(CONSENT_REQUEST_ID, "kyc-co", "alice",
                        List.of("loan", "kyc")), "not in ascending order or repeat a type"),
                arguments("a repeated type", consentRequest(CONSENT_REQUEST_ID, "kyc-co", "alice",
                        List.of("kyc", "kyc")), "not in ascending order or repeat a type"),
                arguments("a type of 129 bytes", consentRequest(CONSENT_REQUEST_ID, "kyc-co", "alice",
                        List.of("k".repeat(129))), "is 129 bytes"),
                arguments("an id that is no UUID", consentRequest("6F1C", "kyc-co", "alice", List.of("kyc")),
                        "consent request id '6F1C'"),
                arguments("a bad issuer id", consentRequest(CONSENT_REQUEST_ID, "-kyc", "alice", List.of("kyc")),
                        "issuer id '-kyc'"),
                arguments("a bad holder id", consentRequest(CONSENT_REQUEST_ID, "kyc-co", "a", List.of("kyc")),
                        "holder id 'a'"));
    }

    static ConsentRequestStatement consentRequest(String id, String issuerId, String holderId, List<String> types) {
        return new ConsentRequestStatement(id, issuerId, holderId, "to issue your KYC credential", 1_000L, types);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedConsentRequests")
    void aMalformedConsentRequestIsNeitherSignedNorVerified(String what, ConsentRequestStatement request,
                                                            String problem) {
        SigningKeyPair issuer = holder;
        assertThatThrownBy(() -> WriteGrants.signConsentRequest(issuer, request))
                .isInstanceOf(CryptoException.class).hasMessageContaining(problem);
        byte[] genuineSignature = issuer.sign(request.toBeSigned());
        assertThatThrownBy(() -> WriteGrants.verifyConsentRequest(issuer.publicKey(), request, genuineSignature))
                .isInstanceOf(CryptoException.class).hasMessageContaining(problem);
    }

    @Test
    void aWriteGrantRevocationOfAMalformedIdIsRefused() {
        WriteGrantRevocationStatement revocation = new WriteGrantRevocationStatement("42", "alice", 3_000L);
        byte[] genuineSignature = holder.sign(revocation.toBeSigned());

        assertThatThrownBy(() -> WriteGrants.signRevocation(holder, revocation))
                .isInstanceOf(CryptoException.class).hasMessageContaining("write grant id '42'");
        assertThatThrownBy(() -> WriteGrants.verifyRevocation(holder.publicKey(), revocation, genuineSignature))
                .isInstanceOf(CryptoException.class).hasMessageContaining("write grant id '42'");
    }

    @Test
    void everyTermOfAWriteGrantIsSigned() {
        WriteGrantStatement grant = new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", CONSENT_REQUEST_ID,
                1_000L, 2_000L, List.of("address", "kyc"));
        byte[] signature = WriteGrants.signWriteGrant(holder, grant);
        List<WriteGrantStatement> changed = new ArrayList<>(List.of(
                new WriteGrantStatement(WRITE_GRANT_ID, "bob", "kyc-co", CONSENT_REQUEST_ID, 1_000L, 2_000L,
                        grant.credentialTypes()),
                new WriteGrantStatement(WRITE_GRANT_ID, "alice", "bank-co", CONSENT_REQUEST_ID, 1_000L, 2_000L,
                        grant.credentialTypes()),
                new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", "", 1_000L, 2_000L,
                        grant.credentialTypes()),
                new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", CONSENT_REQUEST_ID, 999L, 2_000L,
                        grant.credentialTypes()),
                new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", CONSENT_REQUEST_ID, 1_000L, 2_001L,
                        grant.credentialTypes()),
                new WriteGrantStatement(WRITE_GRANT_ID, "alice", "kyc-co", CONSENT_REQUEST_ID, 1_000L, 2_000L,
                        List.of("kyc")),
                new WriteGrantStatement(UUID.randomUUID().toString(), "alice", "kyc-co", CONSENT_REQUEST_ID, 1_000L,
                        2_000L, grant.credentialTypes())));
        for (WriteGrantStatement other : changed) {
            assertThatThrownBy(() -> WriteGrants.verifyWriteGrant(holder.publicKey(), other, signature))
                    .as(other.toString()).isInstanceOf(CryptoException.class).hasMessageContaining("does not verify");
        }
    }
}
