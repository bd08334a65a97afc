package io.idstream.processors;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Avro {@code bytes} fields arrive as ByteBuffers; these read them without disturbing their position. */
public final class AvroBytes {
    private AvroBytes() {
    }

    public static byte[] of(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    public static boolean equal(ByteBuffer a, ByteBuffer b) {
        return Arrays.equals(of(a), of(b));
    }
}
