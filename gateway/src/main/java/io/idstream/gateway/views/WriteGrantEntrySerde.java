package io.idstream.gateway.views;

import io.idstream.avro.WriteGrant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Arrays;

/**
 * The gateway-write-grants store's values: a version byte, a flags byte (unverified), then the write grant in the
 * registry's wire format, as the WriteGrant serde writes it. Internal to the gateway's store and its changelog.
 */
final class WriteGrantEntrySerde implements Serde<WriteGrantEntry> {
    private static final byte VERSION = 1;
    private static final int UNVERIFIED = 1;
    private static final int HEADER_BYTES = 2;

    private final Serde<WriteGrant> writeGrants;

    WriteGrantEntrySerde(Serde<WriteGrant> writeGrants) {
        this.writeGrants = writeGrants;
    }

    @Override
    public Serializer<WriteGrantEntry> serializer() {
        return (topic, entry) -> {
            if (entry == null) {
                return null;
            }
            byte[] record = writeGrants.serializer().serialize(topic, entry.writeGrant());
            byte[] bytes = new byte[HEADER_BYTES + record.length];
            bytes[0] = VERSION;
            bytes[1] = (byte) (entry.verified() ? 0 : UNVERIFIED);
            System.arraycopy(record, 0, bytes, HEADER_BYTES, record.length);
            return bytes;
        };
    }

    @Override
    public Deserializer<WriteGrantEntry> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < HEADER_BYTES || bytes[0] != VERSION) {
                throw new SerializationException("not a write grant entry of version " + VERSION);
            }
            WriteGrant writeGrant = writeGrants.deserializer().deserialize(topic,
                    Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
            return new WriteGrantEntry(writeGrant, (bytes[1] & UNVERIFIED) == 0);
        };
    }
}
