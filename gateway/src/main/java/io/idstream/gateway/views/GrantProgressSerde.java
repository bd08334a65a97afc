package io.idstream.gateway.views;

import io.idstream.avro.Grant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The gateway-grants store's values: a version byte, flags (granted, has terms), uses, first seen, then the terms in
 * the registry's wire format, as the Grant serde writes them. Internal to the gateway's store and its changelog; the
 * version byte lets a later layout read this one.
 */
final class GrantProgressSerde implements Serde<GrantProgress> {
    private static final byte VERSION = 1;
    private static final int GRANTED = 1;
    private static final int HAS_TERMS = 2;
    /** Set on terms not yet verified, so that entries written before the flag existed read as verified. */
    private static final int UNVERIFIED = 4;
    private static final int HEADER_BYTES = 1 + 1 + Integer.BYTES + Long.BYTES;

    private final Serde<Grant> grants;

    GrantProgressSerde(Serde<Grant> grants) {
        this.grants = grants;
    }

    @Override
    public Serializer<GrantProgress> serializer() {
        return (topic, progress) -> {
            if (progress == null) {
                return null;
            }
            byte[] terms = progress.terms() == null ? new byte[0]
                    : grants.serializer().serialize(topic, progress.terms());
            return ByteBuffer.allocate(HEADER_BYTES + terms.length)
                    .put(VERSION)
                    .put((byte) ((progress.granted() ? GRANTED : 0) | (progress.terms() != null ? HAS_TERMS : 0)
                            | (progress.awaitsVerification() ? UNVERIFIED : 0)))
                    .putInt(progress.uses())
                    .putLong(progress.firstSeen())
                    .put(terms)
                    .array();
        };
    }

    @Override
    public Deserializer<GrantProgress> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < HEADER_BYTES || bytes[0] != VERSION) {
                throw new SerializationException("not a grant progress entry of version " + VERSION);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            int flags = buffer.get();
            int uses = buffer.getInt();
            long firstSeen = buffer.getLong();
            Grant terms = (flags & HAS_TERMS) == 0 ? null
                    : grants.deserializer().deserialize(topic, Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
            return new GrantProgress(terms, terms != null && (flags & UNVERIFIED) == 0, (flags & GRANTED) != 0,
                    uses, firstSeen);
        };
    }
}
