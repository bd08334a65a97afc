package io.idstream.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.crypto.http.HostileText;
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

import static io.idstream.mapping.AvroJson.UNION_TYPE_MEMBER;
import static io.idstream.mapping.AvroJson.nonNullBranches;

/**
 * The parsing direction of {@link AvroJson}, apart from the writing one because it is the one that meets what a
 * sender chose: every check that makes parsing strict (unknown and missing members, wrong types, padded or broken
 * base64url, a union's {@code "type"}) and the member paths its refusals name.
 */
final class AvroJsonReader {
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private AvroJsonReader() {
    }

    static Object readRecord(JsonNode json, Schema schema, String path, boolean typeMemberAllowed) {
        if (json == null || !json.isObject()) {
            throw wrongType(path, "an object");
        }
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            boolean unionType = typeMemberAllowed && name.equals(UNION_TYPE_MEMBER);
            if (!unionType && schema.getField(name) == null) {
                throw new IllegalArgumentException(member(path, name) + ": unknown member");
            }
        }
        IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            String fieldPath = member(path, field.name());
            JsonNode value = json.get(field.name());
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new IllegalArgumentException(fieldPath + ": missing");
                }
                record.put(field.pos(), SpecificData.get().getDefaultValue(field));
            } else {
                record.put(field.pos(), readValue(value, field.schema(), fieldPath));
            }
        }
        return record;
    }

    private static Object readValue(JsonNode json, Schema schema, String path) {
        switch (schema.getType()) {
            case NULL:
                if (!json.isNull()) {
                    throw wrongType(path, "null");
                }
                return null;
            case STRING:
                if (!json.isTextual()) {
                    throw wrongType(path, "a string");
                }
                return json.textValue();
            case INT:
                if (!json.isIntegralNumber() || !json.canConvertToInt()) {
                    throw wrongType(path, "a 32-bit integer");
                }
                return json.intValue();
            case LONG:
                if (!json.isIntegralNumber() || !json.canConvertToLong()) {
                    throw wrongType(path, "a 64-bit integer");
                }
                return json.longValue();
            case BOOLEAN:
                if (!json.isBoolean()) {
                    throw wrongType(path, "true or false");
                }
                return json.booleanValue();
            case BYTES:
                return ByteBuffer.wrap(base64url(json, path));
            case FIXED: {
                byte[] bytes = base64url(json, path);
                if (bytes.length != schema.getFixedSize()) {
                    throw new IllegalArgumentException(path + ": expected " + schema.getFixedSize() + " bytes");
                }
                return SpecificData.get().createFixed(null, bytes, schema);
            }
            case ENUM:
                if (!json.isTextual() || !schema.hasEnumSymbol(json.textValue())) {
                    throw wrongType(path, "one of " + schema.getEnumSymbols());
                }
                return SpecificData.get().createEnum(json.textValue(), schema);
            case ARRAY: {
                if (!json.isArray()) {
                    throw wrongType(path, "an array");
                }
                List<Object> items = new ArrayList<>(json.size());
                for (int i = 0; i < json.size(); i++) {
                    items.add(readValue(json.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return items;
            }
            case MAP: {
                if (!json.isObject()) {
                    throw wrongType(path, "an object");
                }
                Map<String, Object> map = new LinkedHashMap<>();
                json.properties().forEach(entry -> map.put(entry.getKey(),
                        readValue(entry.getValue(), schema.getValueType(), member(path, entry.getKey()))));
                return map;
            }
            case RECORD:
                return readRecord(json, schema, path, false);
            case UNION:
                return readUnion(json, schema, path);
            default:
                throw new IllegalArgumentException(path + ": no JSON form for Avro type " + schema.getType());
        }
    }

    private static Object readUnion(JsonNode json, Schema union, String path) {
        List<Schema> branches = nonNullBranches(union, path);
        if (json.isNull()) {
            if (branches.size() == union.getTypes().size()) {
                throw wrongType(path, "a value, not null");
            }
            return null;
        }
        if (branches.size() == 1) {
            return readValue(json, branches.get(0), path);
        }
        if (!json.isObject()) {
            throw wrongType(path, "an object");
        }
        JsonNode type = json.get(UNION_TYPE_MEMBER);
        if (type == null || !type.isTextual()) {
            throw new IllegalArgumentException(member(path, UNION_TYPE_MEMBER) + ": expected one of "
                    + branchNames(branches));
        }
        for (Schema branch : branches) {
            if (branch.getName().equals(type.textValue())) {
                return readRecord(json, branch, path, true);
            }
        }
        throw new IllegalArgumentException(member(path, UNION_TYPE_MEMBER) + ": expected one of "
                + branchNames(branches));
    }

    private static List<String> branchNames(List<Schema> branches) {
        return branches.stream().map(Schema::getName).toList();
    }

    private static byte[] base64url(JsonNode json, String path) {
        if (!json.isTextual()) {
            throw wrongType(path, "base64url text");
        }
        String text = json.textValue();
        if (text.indexOf('=') >= 0) {
            throw wrongType(path, "base64url without padding");
        }
        try {
            return BASE64URL_DECODER.decode(text);
        } catch (IllegalArgumentException notBase64) {
            throw wrongType(path, "base64url text");
        }
    }

    /**
     * A member's path; the name may be the sender's (an unknown member, a map key), so it is cut to
     * {@value HostileText#MAX_CHARS} characters and every character outside printable ASCII (and {@code \}) is escaped:
     * the message reaches logs and the client.
     */
    private static String member(String path, String name) {
        String printable = HostileText.excerpt(name);
        return path.isEmpty() ? printable : path + "." + printable;
    }

    private static IllegalArgumentException wrongType(String path, String expected) {
        return new IllegalArgumentException((path.isEmpty() ? "the body" : path) + ": expected " + expected);
    }
}
