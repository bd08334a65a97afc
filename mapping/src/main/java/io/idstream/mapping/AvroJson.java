package io.idstream.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.schemas.serde.GeneratedClassTrust;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of the Avro records that the holder gateway serves and accepts, read from each record's schema so
 * that one rule covers every record: each field under its Avro name; strings, numbers and booleans as themselves;
 * bytes and fixed as base64url without padding; an enum as its symbol; a union with null as null or the value; a
 * union of several records as the chosen record's object with a {@code "type"} member, its simple name, first.
 * Parsing is strict, because a holder's signed decision arrives this way: an unknown member, a missing member without
 * an Avro default, or a value of the wrong type is refused with an {@link IllegalArgumentException} naming the
 * member's path (for example {@code decision.fields[1]}), never the value.
 */
public final class AvroJson {
    /** The member that names the record chosen in a union of several records. */
    public static final String UNION_TYPE_MEMBER = "type";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    static {
        GeneratedClassTrust.install();
    }

    private AvroJson() {
    }

    /** The record's JSON object. */
    public static ObjectNode toJson(SpecificRecord record) {
        return recordToJson(record, record.getSchema(), null);
    }

    /** Any value of the given schema as JSON (a record, a list of records, a string...). */
    public static JsonNode toJsonValue(Object value, Schema schema) {
        return valueToJson(value, schema, "$");
    }

    /** The record of the given class read from its JSON object; refuses what does not match its schema exactly. */
    public static <T extends SpecificRecord> T fromJson(JsonNode json, Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        return type.cast(AvroJsonReader.readRecord(json, schema, "", false));
    }

    private static ObjectNode recordToJson(IndexedRecord record, Schema schema, String unionType) {
        ObjectNode object = JSON.objectNode();
        if (unionType != null) {
            object.put(UNION_TYPE_MEMBER, unionType);
        }
        for (Schema.Field field : schema.getFields()) {
            object.set(field.name(), valueToJson(record.get(field.pos()), field.schema(), field.name()));
        }
        return object;
    }

    private static JsonNode valueToJson(Object value, Schema schema, String path) {
        switch (schema.getType()) {
            case NULL:
                return JSON.nullNode();
            case STRING:
                return JSON.textNode(value.toString());
            case INT:
                return JSON.numberNode((Integer) value);
            case LONG:
                return JSON.numberNode((Long) value);
            case BOOLEAN:
                return JSON.booleanNode((Boolean) value);
            case BYTES:
                return JSON.textNode(BASE64URL.encodeToString(AvroBytes.of((ByteBuffer) value)));
            case FIXED:
                return JSON.textNode(BASE64URL.encodeToString(((GenericFixed) value).bytes()));
            case ENUM:
                return JSON.textNode(value.toString());
            case ARRAY: {
                ArrayNode array = JSON.arrayNode();
                int index = 0;
                for (Object item : (List<?>) value) {
                    array.add(valueToJson(item, schema.getElementType(), path + "[" + index++ + "]"));
                }
                return array;
            }
            case MAP: {
                ObjectNode object = JSON.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    String key = entry.getKey().toString();
                    object.set(key, valueToJson(entry.getValue(), schema.getValueType(), path + "." + key));
                }
                return object;
            }
            case RECORD:
                return recordToJson((IndexedRecord) value, schema, null);
            case UNION:
                return unionToJson(value, schema, path);
            default:
                throw new IllegalArgumentException(path + ": no JSON form for Avro type " + schema.getType());
        }
    }

    private static JsonNode unionToJson(Object value, Schema union, String path) {
        if (value == null) {
            return JSON.nullNode();
        }
        List<Schema> branches = nonNullBranches(union, path);
        if (branches.size() == 1) {
            return valueToJson(value, branches.get(0), path);
        }
        Schema branch = union.getTypes().get(SpecificData.get().resolveUnion(union, value));
        return recordToJson((IndexedRecord) value, branch, branch.getName());
    }

    /** A union's branches other than null; several branches must all be records without a member of their own
     * named {@code type}, since the chosen branch is told by that member. */
    static List<Schema> nonNullBranches(Schema union, String path) {
        List<Schema> branches = new ArrayList<>();
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                branches.add(branch);
            }
        }
        if (branches.size() > 1) {
            for (Schema branch : branches) {
                if (branch.getType() != Schema.Type.RECORD || branch.getField(UNION_TYPE_MEMBER) != null) {
                    throw new IllegalArgumentException(path + ": a union of " + branches.size()
                            + " branches has a JSON form only when each is a record without a '"
                            + UNION_TYPE_MEMBER + "' field, and " + branch.getName() + " is not");
                }
            }
        }
        return branches;
    }
}
