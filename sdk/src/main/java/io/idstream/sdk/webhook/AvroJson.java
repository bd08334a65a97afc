package io.idstream.sdk.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Avro records as plain JSON that any language reads without Avro: records are objects with the schema's field
 * names, {@code bytes} are standard base64 (RFC 4648 section 4), enums their symbol, a nullable union the value or
 * {@code null}, any other union an object of one member named after the branch's simple name. Decoding is strict:
 * a missing field, an unknown field or a value of the wrong type is an error naming its path.
 */
final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static {
        GeneratedClassTrust.install();
    }

    private AvroJson() {
    }

    static JsonNode encode(Object value, Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                ObjectNode object = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), encode(record.get(field.pos()), field.schema()));
                }
                yield object;
            }
            case UNION -> {
                if (value == null) {
                    yield NODES.nullNode();
                }
                Schema branch = schema.getTypes().get(SpecificData.get().resolveUnion(schema, value));
                if (isNullable(schema)) {
                    yield encode(value, branch);
                }
                yield NODES.objectNode().set(branch.getName(), encode(value, branch));
            }
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (Object element : (List<?>) value) {
                    array.add(encode(element, schema.getElementType()));
                }
                yield array;
            }
            case MAP -> {
                ObjectNode object = NODES.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> object.set(k.toString(), encode(v, schema.getValueType())));
                yield object;
            }
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case ENUM -> NODES.textNode(value.toString());
            case STRING -> NODES.textNode(value.toString());
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case NULL -> NODES.nullNode();
            default -> throw new IllegalArgumentException("no JSON form for Avro type " + schema.getType());
        };
    }

    static Object decode(JsonNode node, Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!node.isObject()) {
                    throw new IllegalArgumentException(path + " must be an object");
                }
                IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode child = node.get(field.name());
                    if (child == null) {
                        throw new IllegalArgumentException(path + "." + field.name() + " is missing");
                    }
                    record.put(field.pos(), decode(child, field.schema(), path + "." + field.name()));
                }
                Iterator<String> names = node.fieldNames();
                while (names.hasNext()) {
                    String name = names.next();
                    if (schema.getField(name) == null) {
                        throw new IllegalArgumentException(path + "." + name + " is not a field of "
                                + schema.getName());
                    }
                }
                return record;
            }
            case UNION -> {
                if (node.isNull() && schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                    return null;
                }
                if (isNullable(schema)) {
                    Schema branch = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL)
                            .findFirst().orElseThrow();
                    return decode(node, branch, path);
                }
                if (!node.isObject() || node.size() != 1) {
                    throw new IllegalArgumentException(path + " must be an object of one member naming its type");
                }
                String name = node.fieldNames().next();
                for (Schema branch : schema.getTypes()) {
                    if (branch.getName().equals(name)) {
                        return decode(node.get(name), branch, path + "." + name);
                    }
                }
                throw new IllegalArgumentException(path + ": '" + name + "' is none of the union's types");
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    throw new IllegalArgumentException(path + " must be an array");
                }
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    list.add(decode(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return list;
            }
            case MAP -> {
                if (!node.isObject()) {
                    throw new IllegalArgumentException(path + " must be an object");
                }
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(),
                        decode(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
                return map;
            }
            case BYTES -> {
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(text(node, path)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(path + " is not base64");
                }
            }
            case ENUM -> {
                String symbol = text(node, path);
                if (!schema.hasEnumSymbol(symbol)) {
                    throw new IllegalArgumentException(path + ": '" + symbol + "' is not a " + schema.getName());
                }
                return SpecificData.get().createEnum(symbol, schema);
            }
            case STRING -> {
                return text(node, path);
            }
            case INT -> {
                if (!node.isInt()) {
                    throw new IllegalArgumentException(path + " must be a 32-bit integer");
                }
                return node.intValue();
            }
            case LONG -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw new IllegalArgumentException(path + " must be a 64-bit integer");
                }
                return node.longValue();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new IllegalArgumentException(path + " must be true or false");
                }
                return node.booleanValue();
            }
            case NULL -> {
                if (!node.isNull()) {
                    throw new IllegalArgumentException(path + " must be null");
                }
                return null;
            }
            default -> throw new IllegalArgumentException("no JSON form for Avro type " + schema.getType());
        }
    }

    private static String text(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(path + " must be a string");
        }
        return node.textValue();
    }

    private static boolean isNullable(Schema union) {
        return union.getTypes().size() == 2
                && union.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
    }
}
