package io.idstream.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.CredentialRevocationStatement;
import io.idstream.crypto.Statements.DenialStatement;
import io.idstream.crypto.Statements.ErasureStatement;
import io.idstream.crypto.Statements.GrantStatement;
import io.idstream.crypto.Statements.PrincipalStatement;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.crypto.Statements.RevocationStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.idstream.crypto.Hex.hex;
import static io.idstream.crypto.ProtocolVectors.bytes;
import static io.idstream.crypto.ProtocolVectors.get;
import static io.idstream.crypto.ProtocolVectors.number;
import static io.idstream.crypto.ProtocolVectors.strings;
import static io.idstream.crypto.ProtocolVectors.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte for byte against an independent implementation of docs/protocol.md (Python, {@code src/test/python}): every
 * to-be-signed string, commitment, field key, field ciphertext, HPKE-sealed key and signature, from fixed inputs.
 */
class ProtocolVectorsTest {
    static final SigningKeyPair ISSUER = SigningKeyPair.fromPrivateKey(bytes("keys.issuerSigningPrivate"));
    static final SigningKeyPair HOLDER = SigningKeyPair.fromPrivateKey(bytes("keys.holderSigningPrivate"));
    static final SigningKeyPair CONSUMER = SigningKeyPair.fromPrivateKey(bytes("keys.consumerSigningPrivate"));
    static final SigningKeyPair OPERATOR = SigningKeyPair.fromPrivateKey(bytes("keys.operatorSigningPrivate"));
    static final EncryptionKeyPair HOLDER_ENCRYPTION =
            EncryptionKeyPair.fromPrivateKey(bytes("keys.holderEncryptionPrivate"));
    static final EncryptionKeyPair CONSUMER_ENCRYPTION =
            EncryptionKeyPair.fromPrivateKey(bytes("keys.consumerEncryptionPrivate"));

    @Test
    void publicKeysMatch() {
        assertThat(hex(ISSUER.publicKey())).isEqualTo(text("keys.issuerSigningPublic"));
        assertThat(hex(HOLDER.publicKey())).isEqualTo(text("keys.holderSigningPublic"));
        assertThat(hex(HOLDER_ENCRYPTION.publicKey())).isEqualTo(text("keys.holderEncryptionPublic"));
        assertThat(hex(CONSUMER_ENCRYPTION.publicKey())).isEqualTo(text("keys.consumerEncryptionPublic"));
    }

    @Test
    void fieldCommitmentsKeysAndCiphertexts() {
        String credentialId = text("credential.credentialId");
        byte[] credentialKey = bytes("credential.credentialKey");
        for (JsonNode field : get("credential.fields")) {
            String name = field.get("name").asText();
            byte[] salt = Hex.bytes(field.get("salt").asText());
            String value = field.get("value").asText();
            assertThat(hex(FieldCrypto.commitment(credentialId, name, salt, value)))
                    .isEqualTo(field.get("commitment").asText());
            byte[] fieldKey = FieldCrypto.fieldKey(credentialKey, credentialId, name);
            assertThat(hex(fieldKey)).isEqualTo(field.get("fieldKey").asText());
            assertThat(hex(FieldCrypto.encrypt(fieldKey, credentialId, name, salt, value,
                    Hex.bytes(field.get("nonce").asText())))).isEqualTo(field.get("ciphertext").asText());
        }
    }

    @Test
    void credentialTbsSignatureAndHolderKey() {
        byte[] tbs = ToBeSigned.credential(ProtocolVectors.credentialHeader(), ProtocolVectors.commitments());
        assertThat(hex(tbs)).isEqualTo(text("credential.tbs"));
        assertThat(hex(ISSUER.sign(tbs))).isEqualTo(text("credential.issuerSignature"));

        Sealed holderKey = Hpke.sealWithEphemeralSeed(HOLDER_ENCRYPTION.publicKey(),
                Hpke.ascii(Credentials.HOLDER_KEY_INFO),
                Credentials.holderKeyAad(text("credential.credentialId"), text("credential.holderId")),
                bytes("credential.credentialKey"), bytes("credential.holderKeyIkmE"));
        assertThat(hex(holderKey.enc())).isEqualTo(text("credential.holderKeyEnc"));
        assertThat(hex(holderKey.ct())).isEqualTo(text("credential.holderKeyCiphertext"));
    }

    @Test
    void holderOpensThePythonIssuedCredential() {
        Map<String, String> expected = new LinkedHashMap<>();
        get("credential.fields").forEach(f -> expected.put(f.get("name").asText(), f.get("value").asText()));
        Credentials.IssuedCredential credential = ProtocolVectors.issuedCredential();
        Credentials.verifyIssuerSignature(ISSUER.publicKey(), credential.header(), credential.commitments(),
                credential.issuerSignature());
        assertThat(Credentials.open(HOLDER_ENCRYPTION, credential)).containsExactlyEntriesOf(expected);
    }

    @Test
    void requestTbsAndSignature() {
        RequestStatement request = new RequestStatement(text("request.requestId"), text("request.consumerId"),
                text("request.holderId"), text("request.credentialType"), text("request.credentialId"),
                text("request.purpose"), number("request.createdAt"), strings("request.fields"));
        assertThat(hex(ToBeSigned.request(request))).isEqualTo(text("request.tbs"));
        assertThat(hex(Decisions.signRequest(CONSUMER, request))).isEqualTo(text("request.signature"));
        Decisions.verifyRequest(CONSUMER.publicKey(), request, bytes("request.signature"));
    }

    @Test
    void grantKeyPackageTbsAndSignature() {
        Map<String, byte[]> fieldKeys = new LinkedHashMap<>();
        for (String name : strings("grant.fields")) {
            fieldKeys.put(name, FieldCrypto.fieldKey(bytes("credential.credentialKey"),
                    text("credential.credentialId"), name));
        }
        byte[] keyPackage = Grants.keyPackage(fieldKeys);
        assertThat(hex(keyPackage)).isEqualTo(text("grant.keyPackage"));
        Sealed keys = Hpke.sealWithEphemeralSeed(CONSUMER_ENCRYPTION.publicKey(), Hpke.ascii(Grants.GRANT_KEYS_INFO),
                Grants.keyPackageAad(text("grant.grantId"), text("grant.credentialId"), text("grant.consumerId")),
                keyPackage, bytes("grant.keysIkmE"));
        assertThat(hex(keys.enc())).isEqualTo(text("grant.keysEnc"));
        assertThat(hex(keys.ct())).isEqualTo(text("grant.keysCiphertext"));

        GrantStatement grant = new GrantStatement(text("grant.grantId"), text("grant.holderId"),
                text("grant.consumerId"), text("grant.credentialId"), text("grant.requestId"), text("grant.purpose"),
                number("grant.issuedAt"), number("grant.notBefore"), number("grant.expiresAt"), number("grant.maxUses"),
                strings("grant.fields"), keys.enc(), keys.ct());
        assertThat(hex(ToBeSigned.grant(grant))).isEqualTo(text("grant.tbs"));
        assertThat(hex(HOLDER.sign(ToBeSigned.grant(grant)))).isEqualTo(text("grant.signature"));
        Grants.verify(HOLDER.publicKey(), grant, bytes("grant.signature"));
    }

    @Test
    void decisionTbsAndSignatures() {
        assertThat(hex(ToBeSigned.deny(text("deny.requestId"), text("deny.holderId"), number("deny.decidedAt"))))
                .isEqualTo(text("deny.tbs"));
        assertThat(hex(Decisions.signDenial(HOLDER, text("deny.requestId"), text("deny.holderId"),
                number("deny.decidedAt")))).isEqualTo(text("deny.signature"));

        assertThat(hex(ToBeSigned.revoke(text("revoke.grantId"), text("revoke.holderId"),
                number("revoke.revokedAt")))).isEqualTo(text("revoke.tbs"));
        Decisions.verifyRevocation(HOLDER.publicKey(), text("revoke.grantId"), text("revoke.holderId"),
                number("revoke.revokedAt"), bytes("revoke.signature"));

        assertThat(hex(ToBeSigned.erase(text("erase.credentialId"), text("erase.holderId"),
                number("erase.erasedAt")))).isEqualTo(text("erase.tbs"));
        Decisions.verifyErasure(HOLDER.publicKey(), text("erase.credentialId"), text("erase.holderId"),
                number("erase.erasedAt"), bytes("erase.signature"));

        assertThat(hex(ToBeSigned.credentialRevoke(text("credentialRevoke.credentialId"),
                text("credentialRevoke.issuerId"), text("credentialRevoke.reason"),
                number("credentialRevoke.revokedAt")))).isEqualTo(text("credentialRevoke.tbs"));
        Decisions.verifyCredentialRevocation(ISSUER.publicKey(), text("credentialRevoke.credentialId"),
                text("credentialRevoke.issuerId"), text("credentialRevoke.reason"),
                number("credentialRevoke.revokedAt"), bytes("credentialRevoke.signature"));
    }

    @Test
    void decisionStatementsSignTheProtocolBytes() {
        DenialStatement denial = new DenialStatement(text("deny.requestId"), text("deny.holderId"),
                number("deny.decidedAt"));
        RevocationStatement revocation = new RevocationStatement(text("revoke.grantId"), text("revoke.holderId"),
                number("revoke.revokedAt"));
        ErasureStatement erasure = new ErasureStatement(text("erase.credentialId"), text("erase.holderId"),
                number("erase.erasedAt"));
        CredentialRevocationStatement credentialRevocation = new CredentialRevocationStatement(
                text("credentialRevoke.credentialId"), text("credentialRevoke.issuerId"),
                text("credentialRevoke.reason"), number("credentialRevoke.revokedAt"));

        assertThat(hex(denial.toBeSigned())).isEqualTo(text("deny.tbs"));
        assertThat(hex(revocation.toBeSigned())).isEqualTo(text("revoke.tbs"));
        assertThat(hex(erasure.toBeSigned())).isEqualTo(text("erase.tbs"));
        assertThat(hex(credentialRevocation.toBeSigned())).isEqualTo(text("credentialRevoke.tbs"));
        Signatures.verify(HOLDER.publicKey(), denial, bytes("deny.signature"));
        Signatures.verify(HOLDER.publicKey(), revocation, bytes("revoke.signature"));
        Signatures.verify(HOLDER.publicKey(), erasure, bytes("erase.signature"));
        Signatures.verify(ISSUER.publicKey(), credentialRevocation, bytes("credentialRevoke.signature"));
    }

    @Test
    void directoryTbsAndSignatures() {
        PrincipalStatement principal = new PrincipalStatement(text("principal.id"), text("principal.role"),
                HOLDER.publicKey(), HOLDER_ENCRYPTION.publicKey(), text("principal.displayName"),
                number("principal.registeredAt"));
        assertThat(hex(ToBeSigned.principal(principal))).isEqualTo(text("principal.tbs"));
        assertThat(hex(Decisions.signPrincipal(HOLDER, principal))).isEqualTo(text("principal.signature"));
        Decisions.verifyPrincipal(null, principal, bytes("principal.signature"));

        AccreditationStatement accreditation = new AccreditationStatement(text("accreditation.id"),
                text("accreditation.role"), ISSUER.publicKey(), number("accreditation.accreditedAt"));
        assertThat(hex(ToBeSigned.accreditation(accreditation))).isEqualTo(text("accreditation.tbs"));
        Decisions.verifyAccreditation(OPERATOR.publicKey(), accreditation, bytes("accreditation.signature"));

        WithdrawalStatement withdrawal = new WithdrawalStatement(text("withdrawal.id"), text("withdrawal.role"),
                ISSUER.publicKey(), number("withdrawal.withdrawnAt"));
        assertThat(hex(ToBeSigned.withdrawal(withdrawal))).isEqualTo(text("withdrawal.tbs"));
        assertThat(hex(Decisions.signWithdrawal(OPERATOR, withdrawal))).isEqualTo(text("withdrawal.signature"));
        Decisions.verifyWithdrawal(OPERATOR.publicKey(), withdrawal, bytes("withdrawal.signature"));
    }

    @Test
    void consumerVerifiesThePythonDelivery() {
        DeliveryVerification result = new DeliveryVerifier(CONSUMER_ENCRYPTION)
                .verify(ProtocolVectors.delivery(), ISSUER.publicKey(), HOLDER.publicKey());
        assertThat(result).isInstanceOf(DeliveryVerification.Verified.class);
        Map<String, String> expected = new LinkedHashMap<>();
        get("delivery.values").properties().forEach(e -> expected.put(e.getKey(), e.getValue().asText()));
        assertThat(((DeliveryVerification.Verified) result).values()).isEqualTo(expected);
    }
}
