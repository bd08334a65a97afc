package io.idstream.crypto;

import io.idstream.crypto.KeyBackup.Argon2Params;
import io.idstream.crypto.KeyBackup.Header;
import io.idstream.crypto.Rekeys.SignedRekey;
import io.idstream.crypto.Statements.ConsentRequestStatement;
import io.idstream.crypto.Statements.RekeyStatement;
import io.idstream.crypto.Statements.WriteGrantRevocationStatement;
import io.idstream.crypto.Statements.WriteGrantStatement;
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
 * The holder lifecycle's formats byte for byte against the independent Python implementation
 * ({@code src/test/python}): write grants, their revocation and consent requests (docs/protocol.md section 6a), the
 * re-key of the vectors' credential to the holder's rotated keys (section 6b) and a key backup (section 17).
 */
class LifecycleVectorsTest {
    static final SigningKeyPair ISSUER = ProtocolVectorsTest.ISSUER;
    static final SigningKeyPair HOLDER = ProtocolVectorsTest.HOLDER;
    static final SigningKeyPair HOLDER_ROTATED =
            SigningKeyPair.fromPrivateKey(bytes("keys.holderRotatedSigningPrivate"));
    static final EncryptionKeyPair HOLDER_ROTATED_ENCRYPTION =
            EncryptionKeyPair.fromPrivateKey(bytes("keys.holderRotatedEncryptionPrivate"));

    @Test
    void rotatedKeysMatch() {
        assertThat(hex(HOLDER_ROTATED.publicKey())).isEqualTo(text("keys.holderRotatedSigningPublic"));
        assertThat(hex(HOLDER_ROTATED_ENCRYPTION.publicKey())).isEqualTo(text("keys.holderRotatedEncryptionPublic"));
    }

    @Test
    void consentRequestTbsAndSignature() {
        ConsentRequestStatement request = new ConsentRequestStatement(text("consentRequest.consentRequestId"),
                text("consentRequest.issuerId"), text("consentRequest.holderId"), text("consentRequest.purpose"),
                number("consentRequest.createdAt"), strings("consentRequest.credentialTypes"));

        assertThat(hex(ToBeSigned.consentRequest(request))).isEqualTo(text("consentRequest.tbs"));
        assertThat(hex(WriteGrants.signConsentRequest(ISSUER, request))).isEqualTo(text("consentRequest.signature"));
        WriteGrants.verifyConsentRequest(ISSUER.publicKey(), request, bytes("consentRequest.signature"));
    }

    @Test
    void writeGrantTbsAndSignature() {
        WriteGrantStatement grant = new WriteGrantStatement(text("writeGrant.writeGrantId"),
                text("writeGrant.holderId"), text("writeGrant.issuerId"), text("writeGrant.consentRequestId"),
                number("writeGrant.issuedAt"), number("writeGrant.expiresAt"), strings("writeGrant.credentialTypes"));

        assertThat(hex(ToBeSigned.writeGrant(grant))).isEqualTo(text("writeGrant.tbs"));
        assertThat(hex(WriteGrants.signWriteGrant(HOLDER, grant))).isEqualTo(text("writeGrant.signature"));
        WriteGrants.verifyWriteGrant(HOLDER.publicKey(), grant, bytes("writeGrant.signature"));
    }

    @Test
    void writeGrantRevocationTbsAndSignature() {
        WriteGrantRevocationStatement revocation = new WriteGrantRevocationStatement(
                text("writeGrantRevoke.writeGrantId"), text("writeGrantRevoke.holderId"),
                number("writeGrantRevoke.revokedAt"));

        assertThat(hex(revocation.toBeSigned())).isEqualTo(text("writeGrantRevoke.tbs"));
        assertThat(hex(WriteGrants.signRevocation(HOLDER, revocation))).isEqualTo(text("writeGrantRevoke.signature"));
        WriteGrants.verifyRevocation(HOLDER.publicKey(), revocation, bytes("writeGrantRevoke.signature"));
    }

    @Test
    void rekeySealedKeyTbsAndSignature() {
        SignedRekey rekey = Rekeys.rekeyWithEphemeralSeed(HOLDER_ROTATED, text("rekey.credentialId"),
                text("rekey.holderId"), HOLDER_ROTATED_ENCRYPTION.publicKey(), bytes("rekey.credentialKey"),
                number("rekey.rekeyedAt"), bytes("rekey.holderKeyIkmE"));
        RekeyStatement statement = rekey.statement();

        assertThat(hex(statement.encryptionKey())).isEqualTo(text("rekey.encryptionKey"));
        assertThat(hex(statement.holderKeyEnc())).isEqualTo(text("rekey.holderKeyEnc"));
        assertThat(hex(statement.holderKeyCiphertext())).isEqualTo(text("rekey.holderKeyCiphertext"));
        assertThat(hex(statement.toBeSigned())).isEqualTo(text("rekey.tbs"));
        assertThat(hex(rekey.signature())).isEqualTo(text("rekey.signature"));
        Rekeys.verify(HOLDER_ROTATED.publicKey(), statement, bytes("rekey.signature"));
    }

    @Test
    void theHolderOpensThePythonRekeyedCredentialWithItsRotatedKey() {
        Credentials.IssuedCredential issued = ProtocolVectors.issuedCredential();
        Credentials.IssuedCredential rekeyed = new Credentials.IssuedCredential(issued.header(), issued.fields(),
                new Sealed(bytes("rekey.holderKeyEnc"), bytes("rekey.holderKeyCiphertext")), issued.issuerSignature());
        Map<String, String> expected = new LinkedHashMap<>();
        get("credential.fields").forEach(f -> expected.put(f.get("name").asText(), f.get("value").asText()));

        assertThat(Credentials.open(HOLDER_ROTATED_ENCRYPTION, rekeyed)).containsExactlyEntriesOf(expected);
    }

    @Test
    void backupKeyHeaderBytesAndArmour() {
        char[] passphrase = text("backup.passphrase").toCharArray();
        Argon2Params params = new Argon2Params((int) number("backup.params.memoryKiB"),
                (int) number("backup.params.iterations"), (int) number("backup.params.parallelism"));
        Header header = new Header(text("backup.principalId"), text("backup.role"), params, bytes("backup.salt"),
                number("backup.createdAt"));

        assertThat(hex(BackupFormat.encode(header))).isEqualTo(text("backup.header"));
        assertThat(hex(KeyBackup.deriveKey(passphrase, header))).isEqualTo(text("backup.key"));
        byte[] backup = KeyBackup.seal(text("backup.principalId"), text("backup.role"), HOLDER,
                ProtocolVectorsTest.HOLDER_ENCRYPTION, passphrase, number("backup.createdAt"), params,
                bytes("backup.salt"), bytes("backup.nonce"));
        assertThat(hex(backup)).isEqualTo(text("backup.backup"));
        assertThat(KeyBackup.armor(backup)).isEqualTo(text("backup.armored"));
    }

    @Test
    void thePythonBackupOpensWithItsPassphrase() {
        byte[] backup = KeyBackup.unarmor(text("backup.armored"));

        KeyBackup.Opened opened = KeyBackup.open(backup, text("backup.passphrase").toCharArray());

        assertThat(opened.header().principalId()).isEqualTo(text("backup.principalId"));
        assertThat(hex(opened.signing().publicKey())).isEqualTo(text("keys.holderSigningPublic"));
        assertThat(hex(opened.encryption().publicKey())).isEqualTo(text("keys.holderEncryptionPublic"));
    }
}
