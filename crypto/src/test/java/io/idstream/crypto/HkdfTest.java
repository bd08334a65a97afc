package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HKDF-Expand past one block, against RFC 5869's definition written out with the JDK's HMAC: T(1) = HMAC(PRK, info ||
 * 0x01), T(2) = HMAC(PRK, T(1) || info || 0x02), the output their concatenation cut to L. The protocol itself never
 * asks for more than one block, so only this test pins the chaining.
 */
class HkdfTest {
    static final byte[] PRK = Hkdf.extract(new byte[] {1, 2, 3},
            "input key material".getBytes(StandardCharsets.UTF_8));
    static final byte[] INFO = "idstream/v1/test".getBytes(StandardCharsets.UTF_8);

    @Test
    void twoBlocksChainAsRfc5869Says() throws Exception {
        byte[] t1 = hmac(PRK, ByteBuffer.allocate(INFO.length + 1).put(INFO).put((byte) 1).array());
        byte[] t2 = hmac(PRK, ByteBuffer.allocate(32 + INFO.length + 1).put(t1).put(INFO).put((byte) 2).array());
        byte[] expected = ByteBuffer.allocate(64).put(t1).put(t2).array();

        assertThat(Hkdf.expand(PRK, INFO, 64)).isEqualTo(expected);
        assertThat(Hkdf.expand(PRK, INFO, 40)).isEqualTo(Arrays.copyOf(expected, 40));
    }

    @Test
    void theLongestOutputIs255Blocks() {
        assertThat(Hkdf.expand(PRK, INFO, 255 * 32)).hasSize(255 * 32);
        assertThatThrownBy(() -> Hkdf.expand(PRK, INFO, 255 * 32 + 1)).isInstanceOf(CryptoException.class)
                .hasMessage("HKDF cannot expand to 8161 bytes");
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
