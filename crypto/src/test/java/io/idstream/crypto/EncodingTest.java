package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The encoding primitives of docs/protocol.md section 1 at the edges the protocol vectors do not reach: a u32 with
 * every byte set, values outside u32, and a duplicate name.
 */
class EncodingTest {
    @Test
    void aU32IsFourBigEndianBytesUpToItsLargestValue() {
        assertThat(Encoding.untagged().u32(0x0102_0304L).toBytes()).containsExactly(1, 2, 3, 4);
        assertThat(Encoding.untagged().u32(0xFFFF_FFFFL).toBytes())
                .containsExactly((byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF);
    }

    @Test
    void valuesOutsideU32AreRefused() {
        assertThatThrownBy(() -> Encoding.untagged().u32(-1)).isInstanceOf(CryptoException.class)
                .hasMessage("value -1 does not fit u32");
        assertThatThrownBy(() -> Encoding.untagged().u32(0x1_0000_0000L)).isInstanceOf(CryptoException.class)
                .hasMessage("value 4294967296 does not fit u32");
    }

    @Test
    void sortingPutsNamesInProtocolOrderAndRefusesADuplicate() {
        assertThat(Encoding.sorted(List.of("country", "age_over_18"))).containsExactly("age_over_18", "country");
        assertThatThrownBy(() -> Encoding.sorted(List.of("country", "age_over_18", "country")))
                .isInstanceOf(CryptoException.class).hasMessage("field name 'country' appears twice");
    }
}
