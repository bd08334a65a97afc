package io.idstream.mapping;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Avro {@code bytes} fields arrive as ByteBuffers that the record still owns; these read them without disturbing
 * their position, so that a record can be read twice (verified, then forwarded) and still serialize whole.
 */
public final class AvroBytes {
    private AvroBytes() {
    }

    /** The buffer's remaining bytes, copied; an absent buffer reads as no bytes. */
    public static byte[] of(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** Whether two fields hold the same bytes. */
    public static boolean equal(ByteBuffer a, ByteBuffer b) {
        return Arrays.equals(of(a), of(b));
    }
}
