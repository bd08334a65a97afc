package io.idstream.schemas.serde;

import io.idstream.schemas.registry.SchemaRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A {@link org.apache.kafka.common.serialization.Serde} of one generated Avro record type in the Confluent wire
 * format; configure it with at least {@code schema.registry.url}.
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {
    public SpecificAvroSerde(Class<T> type) {
        super(new SpecificAvroSerializer<>(type), new SpecificAvroDeserializer<>(type));
    }

    /** Shares one registry client, and so its cache, between this serde's serializer and deserializer. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistry registry) {
        super(new SpecificAvroSerializer<>(type, registry), new SpecificAvroDeserializer<>(type, registry));
    }
}
