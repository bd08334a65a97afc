package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import static io.idstream.crypto.Hex.bytes;
import static io.idstream.crypto.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 9180 appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode. */
class HpkeTest {
    static final byte[] INFO = bytes("4f6465206f6e2061204772656369616e2055726e");
    static final byte[] IKM_E = bytes("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234");
    static final String SK_EM = "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736";
    static final String PK_EM = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
    static final byte[] SK_RM = bytes("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
    static final String PK_RM = "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d";
    static final String SHARED_SECRET = "fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc";
    static final String KEY = "4531685d41d65f03dc48f6b8302c05b0";
    static final String BASE_NONCE = "56d890e5accaaf011cff4b7d";
    static final byte[] PT = bytes("4265617574792069732074727574682c20747275746820626561757479");
    static final byte[] AAD_0 = bytes("436f756e742d30");
    static final String CT_0 = "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a";

    @Test
    void derivesTheVectorsKeysAndSchedule() {
        byte[] skE = Hpke.deriveX25519PrivateKey(IKM_E);
        assertThat(hex(skE)).isEqualTo(SK_EM);
        assertThat(hex(EncryptionKeyPair.fromPrivateKey(skE).publicKey())).isEqualTo(PK_EM);
        EncryptionKeyPair recipient = EncryptionKeyPair.fromPrivateKey(SK_RM);
        assertThat(hex(recipient.publicKey())).isEqualTo(PK_RM);

        byte[] dh = recipient.agree(bytes(PK_EM));
        byte[] shared = Hpke.extractAndExpand(dh, Hpke.concat(bytes(PK_EM), bytes(PK_RM)));
        assertThat(hex(shared)).isEqualTo(SHARED_SECRET);
        Hpke.KeySchedule schedule = Hpke.keySchedule(shared, INFO);
        assertThat(hex(schedule.key())).isEqualTo(KEY);
        assertThat(hex(schedule.baseNonce())).isEqualTo(BASE_NONCE);
    }

    @Test
    void sealsAndOpensTheVectorsFirstEncryption() {
        Sealed sealed = Hpke.sealWithEphemeralSeed(bytes(PK_RM), INFO, AAD_0, PT, IKM_E);
        assertThat(hex(sealed.enc())).isEqualTo(PK_EM);
        assertThat(hex(sealed.ct())).isEqualTo(CT_0);

        byte[] opened = Hpke.open(EncryptionKeyPair.fromPrivateKey(SK_RM), INFO, AAD_0,
                new Sealed(bytes(PK_EM), bytes(CT_0)));
        assertThat(opened).isEqualTo(PT);
    }

    @Test
    void roundTripsWithFreshKeys() {
        EncryptionKeyPair recipient = EncryptionKeyPair.generate();
        Sealed sealed = Hpke.seal(recipient.publicKey(), INFO, AAD_0, PT);
        assertThat(Hpke.open(recipient, INFO, AAD_0, sealed)).isEqualTo(PT);
        assertThat(Hpke.seal(recipient.publicKey(), INFO, AAD_0, PT).enc()).isNotEqualTo(sealed.enc());
    }

    @Test
    void refusesWhatWasNotSealedThatWay() {
        EncryptionKeyPair recipient = EncryptionKeyPair.generate();
        Sealed sealed = Hpke.seal(recipient.publicKey(), INFO, AAD_0, PT);
        byte[] tampered = sealed.ct();
        tampered[3] ^= 1;

        assertThatThrownBy(() -> Hpke.open(recipient, INFO, bytes("00"), sealed))
                .isInstanceOf(CryptoException.class).hasMessageContaining("does not open");
        assertThatThrownBy(() -> Hpke.open(recipient, bytes("00"), AAD_0, sealed))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Hpke.open(EncryptionKeyPair.generate(), INFO, AAD_0, sealed))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Hpke.open(recipient, INFO, AAD_0, new Sealed(sealed.enc(), tampered)))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Hpke.open(recipient, INFO, AAD_0, new Sealed(new byte[31], sealed.ct())))
                .isInstanceOf(CryptoException.class).hasMessageContaining("31 bytes");
        // The all-zero point gives the all-zero shared secret: refused, not used.
        assertThatThrownBy(() -> Hpke.open(recipient, INFO, AAD_0, new Sealed(new byte[32], sealed.ct())))
                .isInstanceOf(CryptoException.class).hasMessageContaining("all-zero");
    }
}
