package io.idstream.schemas.serde;

import io.idstream.schemas.registry.SchemaRegistry;
import io.idstream.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serializes one generated Avro record type in the Confluent wire format, registering (or, with
 * {@code auto.register.schemas=false}, looking up) its schema under {@code <topic>-key} or {@code <topic>-value}.
 */
public class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    static {
        GeneratedClassTrust.install();
    }

    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();
    private SchemaRegistry registry;
    private boolean autoRegister = true;
    private boolean isKey;

    public SpecificAvroSerializer(Class<T> type) {
        this(type, null);
    }

    /** With a registry client to share; {@link #configure} then only reads the other settings. */
    public SpecificAvroSerializer(Class<T> type, SchemaRegistry registry) {
        this.schema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema);
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        if (registry == null) {
            registry = RegistryClients.fromConfig(config);
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroSerializer used before configure(): no schema registry");
        }
        int schemaId = idsBySubject.computeIfAbsent(WireFormat.subject(topic, isKey), this::schemaId);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getName() + " for topic " + topic + ": "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId(String subject) {
        try {
            return autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema).id();
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot get a schema id for " + schema.getFullName() + " under subject "
                    + subject + ": " + e.getMessage(), e);
        }
    }
}
