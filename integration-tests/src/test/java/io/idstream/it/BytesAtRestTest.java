package io.idstream.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The disk scan skips the zeros a file ends with (Kafka's preallocated index files) without missing a value that
 * ends right before them or one that follows zeros inside a file.
 */
class BytesAtRestTest {
    static final String VALUE = "Full name of holder-a 1f2e3d4c";

    @TempDir
    Path dir;

    @Test
    void findsAValueThatEndsRightBeforeMegabytesOfTrailingZeros() throws Exception {
        Path index = write("00000000000000000000.index", filler(70_000), ascii(VALUE), new byte[10 * 1024 * 1024 + 3]);

        assertThat(BytesAtRest.under(List.of(dir)).filesHolding(Map.of("full name", VALUE)))
                .containsExactly(Map.entry("full name", List.of(index)));
    }

    @Test
    void findsAValueThatFollowsZerosInsideAFile() throws Exception {
        Path segment = write("00000000000000000000.log", filler(10), new byte[200_000], ascii(VALUE),
                new byte[5]);

        assertThat(BytesAtRest.under(List.of(dir)).filesHolding(Map.of("full name", VALUE)))
                .containsExactly(Map.entry("full name", List.of(segment)));
    }

    @Test
    void aFileOfZerosHoldsNoValue() throws Exception {
        write("00000000000000000000.timeindex", new byte[1024 * 1024]);

        assertThat(BytesAtRest.under(List.of(dir)).filesHolding(Map.of("full name", VALUE))).isEmpty();
    }

    @Test
    void aNeedleHoldingAZeroByteIsRefused() throws Exception {
        write("00000000000000000000.log", ascii(VALUE));

        assertThatThrownBy(() -> BytesAtRest.under(List.of(dir)).filesHolding(Map.of("padded", "DOC-\0\0\0\0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padded holds a zero byte");
    }

    private Path write(String name, byte[]... parts) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, concat(parts));
        return file;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static byte[] filler(int length) {
        byte[] filler = new byte[length];
        Arrays.fill(filler, (byte) 'x');
        return filler;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
