package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No plaintext value, private key or field key appears in an exception message or a {@code toString()}. */
class SecretHygieneTest {
    final DeliveryFixture fixture = new DeliveryFixture();

    @Test
    void keyPairsShowOnlyTheirPublicKeys() {
        assertNoSecretIn(fixture, fixture.holder.toString());
        assertNoSecretIn(fixture, fixture.consumerEncryption.toString());
        assertThat(fixture.holder.toString()).contains(Hex.hex(fixture.holder.publicKey()));
    }

    @Test
    void verifiedDeliveriesNameFieldsNotValues() {
        DeliveryVerification verified = fixture.verify(fixture.delivery);
        assertThat(verified.toString()).contains("country");
        assertNoSecretIn(fixture, verified.toString());
        String opened = FieldCrypto.decrypt(fieldKey("country"), fixture.header.credentialId(), "country",
                fixture.credential.fields().stream().filter(f -> f.name().equals("country")).findFirst()
                        .orElseThrow().ciphertext()).toString();
        assertNoSecretIn(fixture, opened);
    }

    @Test
    void failurePathsNameNoSecret() {
        byte[] countryCiphertext = fixture.credential.fields().get(1).ciphertext();
        List<Runnable> failures = List.of(
                () -> FieldCrypto.decrypt(fieldKey("full_name"), fixture.header.credentialId(), "country",
                        countryCiphertext),
                () -> Credentials.unwrapCredentialKey(fixture.consumerEncryption, fixture.header,
                        fixture.credential.holderKey()),
                () -> Grants.openKeyPackage(fixture.holderEncryption, "g", fixture.header.credentialId(),
                        "exchange-a", new Sealed(fixture.delivery.grant().keysEnc(),
                                fixture.delivery.grant().keysCiphertext())),
                () -> SigningKeyPair.fromPem(fixture.consumerEncryption.toPem()),
                () -> Credentials.issue(fixture.issuer, fixture.header, fixture.holderEncryption.publicKey(),
                        Map.of("Bad Name", "Alice Secretname")),
                () -> Signatures.verify("grant", fixture.holder.publicKey(), new byte[] {1}, new byte[64]));
        for (Runnable failure : failures) {
            assertThatThrownBy(failure::run).isInstanceOf(CryptoException.class)
                    .satisfies(e -> assertNoSecretIn(fixture, e.getMessage()));
        }
    }

    @Test
    void keyBackupsNameNeitherKeysNorPassphrase() {
        String passphrase = "correct horse battery staple";
        byte[] backup = KeyBackup.seal("alice", "holder", fixture.holder, fixture.holderEncryption,
                passphrase.toCharArray(), 1_000L);
        String opened = KeyBackup.open(backup, passphrase.toCharArray()).toString();
        assertNoSecretIn(fixture, opened);
        assertThat(opened).doesNotContain(passphrase);
        List<Runnable> failures = List.of(
                () -> KeyBackup.open(backup, (passphrase + "!").toCharArray()),
                () -> KeyBackup.seal("alice", "holder", fixture.holder, fixture.holderEncryption,
                        "horse staple".substring(0, 11).toCharArray(), 1_000L));
        for (Runnable failure : failures) {
            assertThatThrownBy(failure::run).isInstanceOf(CryptoException.class)
                    .satisfies(e -> assertNoSecretIn(fixture, e.getMessage()))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("horse"));
        }
    }

    byte[] fieldKey(String name) {
        byte[] credentialKey = Credentials.unwrapCredentialKey(fixture.holderEncryption, fixture.header,
                fixture.credential.holderKey());
        return FieldCrypto.fieldKey(credentialKey, fixture.header.credentialId(), name);
    }

    /** Every secret of the fixture, in every form it could leak in: plain text, hex, base64 and PEM. */
    static void assertNoSecretIn(DeliveryFixture fixture, String text) {
        List<String> secrets = new ArrayList<>(DeliveryFixture.VALUES.values());
        for (String pem : List.of(fixture.holder.toPem(), fixture.issuer.toPem(), fixture.holderEncryption.toPem(),
                fixture.consumerEncryption.toPem())) {
            String base64 = pem.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
            secrets.add(base64);
            byte[] der = Base64.getDecoder().decode(base64);
            secrets.add(Hex.hex(Arrays.copyOfRange(der, der.length - 32, der.length)));
        }
        byte[] credentialKey = Credentials.unwrapCredentialKey(fixture.holderEncryption, fixture.header,
                fixture.credential.holderKey());
        secrets.add(Hex.hex(credentialKey));
        for (String name : DeliveryFixture.VALUES.keySet()) {
            secrets.add(Hex.hex(FieldCrypto.fieldKey(credentialKey, fixture.header.credentialId(), name)));
        }
        for (String secret : secrets) {
            assertThat(text).as("text that must not contain a secret").doesNotContainIgnoringCase(secret);
        }
    }
}
