package io.idstream.it.confluent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;

/** Avro records as JSON, in the two forms the Python client speaks. */
final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    /**
     * A datum as the script prints what {@code AvroDeserializer} returns: records and maps as objects, a union as
     * its value alone, enums as their symbol, bytes and fixed as lowercase hex.
     */
    static JsonNode plain(Object datum) {
        return normalized(tree(datum));
    }

    /** Through text, so that numbers compare as the same node types as the script's parsed output. */
    static JsonNode normalized(JsonNode node) {
        try {
            return PythonClient.JSON.readTree(PythonClient.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(Object datum) {
        if (datum == null) {
            return NODES.nullNode();
        } else if (datum instanceof IndexedRecord record) {
            ObjectNode object = NODES.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                object.set(field.name(), tree(record.get(field.pos())));
            }
            return object;
        } else if (datum instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, value) -> object.set(key.toString(), tree(value)));
            return object;
        } else if (datum instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(tree(item)));
            return array;
        } else if (datum instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return NODES.textNode(HexFormat.of().formatHex(copy));
        } else if (datum instanceof GenericFixed fixed) {
            return NODES.textNode(HexFormat.of().formatHex(fixed.bytes()));
        } else if (datum instanceof Integer number) {
            return NODES.numberNode(number);
        } else if (datum instanceof Long number) {
            return NODES.numberNode(number);
        } else if (datum instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        } else if (datum instanceof CharSequence || datum instanceof Enum<?> || datum instanceof GenericEnumSymbol<?>) {
            return NODES.textNode(datum.toString());
        }
        throw new IllegalArgumentException("no JSON form for a " + datum.getClass().getName());
    }

    /** The record in Avro's own JSON encoding (a union as {"full name": value}, bytes as ISO-8859-1 text). */
    static JsonNode encoded(SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return PythonClient.JSON.readTree(out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
