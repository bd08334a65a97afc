package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyBackupTest {
    static final char[] PASSPHRASE = "correct horse battery".toCharArray();
    final SigningKeyPair signing = SigningKeyPair.generate();
    final EncryptionKeyPair encryption = EncryptionKeyPair.generate();

    @Test
    void aSealedBackupOpensToTheSameKeysAndRefusesAnotherPassphrase() {
        byte[] backup = KeyBackup.seal("alice", "holder", signing, encryption, PASSPHRASE, 1_000L);

        KeyBackup.Opened opened = KeyBackup.open(backup, PASSPHRASE);

        assertThat(opened.header().principalId()).isEqualTo("alice");
        assertThat(opened.signing().publicKey()).isEqualTo(signing.publicKey());
        assertThat(opened.encryption().publicKey()).isEqualTo(encryption.publicKey());
        assertThatThrownBy(() -> KeyBackup.open(backup, "correct horse battery!".toCharArray()))
                .isInstanceOf(CryptoException.class).hasMessage("wrong passphrase (or the backup was altered)");
    }
}
