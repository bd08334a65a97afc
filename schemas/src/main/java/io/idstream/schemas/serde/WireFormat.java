package io.idstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format of a record value (docs/protocol.md section 9): magic byte {@code 0x00}, the schema id as a
 * 4-byte big-endian integer, then the Avro binary body.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** The Schema Registry subject of a topic's keys or values under the TopicNameStrategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Reads and checks the header, leaving {@code buffer} at the start of the Avro body; returns the schema id. */
    public static int readSchemaId(String topic, ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException("record on topic " + topic + " is " + buffer.remaining()
                    + " bytes, shorter than the 5-byte Confluent wire-format header");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "record on topic %s starts with byte 0x%02x, not the Confluent wire-format magic byte 0x00",
                    topic, magic & 0xff));
        }
        return buffer.getInt();
    }
}
