package io.idstream.schemas.serde;

import io.idstream.schemas.registry.SchemaRegistry;
import io.idstream.schemas.registry.SchemaRegistryException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deserializes Confluent-wire-format bytes into one generated Avro record type, resolving the writer's schema by the
 * id in the header and reading it into this build's schema (Avro schema resolution), so records written by an older
 * or newer compatible schema read correctly. Bytes that are not in the wire format, name an unknown id, or do not
 * decode fail with a {@link SerializationException} that says which ({@link UnknownSchemaException} for an id the
 * registry does not have); a registry that cannot be reached fails with the retriable
 * {@link RegistryUnavailableException} instead, since the record itself may be fine.
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    static {
        GeneratedClassTrust.install();
    }

    private final Class<T> type;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();
    private SchemaRegistry registry;

    public SpecificAvroDeserializer(Class<T> type) {
        this(type, null);
    }

    /** With a registry client to share; {@link #configure} then reads nothing else. */
    public SpecificAvroDeserializer(Class<T> type, SchemaRegistry registry) {
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = RegistryClients.fromConfig(new AvroSerdeConfig(configs));
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroDeserializer used before configure(): no schema registry");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int schemaId = WireFormat.readSchemaId(topic, buffer);
        SpecificDatumReader<T> reader = readersBySchemaId.computeIfAbsent(schemaId, id -> newReader(topic, id));
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(data, buffer.position(), buffer.remaining(), null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("record on topic " + topic + " has bytes after its Avro body");
            }
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new SerializationException("record on topic " + topic + " with schema id " + schemaId
                    + " does not decode as " + type.getSimpleName() + ": " + e, e);
        }
    }

    private SpecificDatumReader<T> newReader(String topic, int schemaId) {
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                throw new UnknownSchemaException("record on topic " + topic + " names schema id " + schemaId
                        + " that the registry does not have: " + e.getMessage(), e);
            }
            throw new RegistryUnavailableException("cannot resolve schema id " + schemaId + " of a record on topic "
                    + topic + ": " + e.getMessage(), e);
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema);
    }
}
