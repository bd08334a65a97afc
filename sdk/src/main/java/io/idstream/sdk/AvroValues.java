package io.idstream.sdk;

import java.nio.ByteBuffer;

/** Reads Avro {@code bytes} fields without disturbing the buffers. */
final class AvroValues {
    private AvroValues() {
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
