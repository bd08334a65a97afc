package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idstream.avro.AccessAudit;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.HolderBackup;
import io.idstream.avro.PendingRequest;
import io.idstream.avro.Principal;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.avro.WriteGrant;
import io.idstream.mapping.AvroJson;
import org.apache.avro.Schema;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON Schema (2020-12, as OpenAPI 3.1 uses it) of each record's JSON form ({@link AvroJson}), derived from the
 * Avro schemas: the OpenAPI document's record schemas must be exactly these, so that the document cannot drift from
 * the records. A record chosen in a union of several records gets a second schema, {@code Typed<Name>}, with its
 * {@code "type"} member.
 */
final class RecordJsonSchemas {
    static final List<Schema> API_RECORDS = List.of(PendingRequest.getClassSchema(),
            StoredCredential.getClassSchema(), DecisionEvent.getClassSchema(), AccessAudit.getClassSchema(),
            VerifiedPrincipal.getClassSchema(), Principal.getClassSchema(), WriteGrant.getClassSchema(),
            ConsentRequest.getClassSchema(), HolderBackup.getClassSchema());
    static final String BASE64URL = "^[A-Za-z0-9_-]*$";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, ObjectNode> schemas = new TreeMap<>();

    private RecordJsonSchemas() {
    }

    /** Every named schema reachable from the API's records, by component name. */
    static Map<String, ObjectNode> all() {
        RecordJsonSchemas generator = new RecordJsonSchemas();
        API_RECORDS.forEach(generator::named);
        return generator.schemas;
    }

    private ObjectNode ref(String name) {
        return JSON.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    private ObjectNode named(Schema schema) {
        if (!schemas.containsKey(schema.getName())) {
            if (schema.getType() == Schema.Type.ENUM) {
                ObjectNode node = JSON.objectNode().put("type", "string");
                schema.getEnumSymbols().forEach(node.putArray("enum")::add);
                describe(node, schema.getDoc());
                schemas.put(schema.getName(), node);
            } else {
                schemas.put(schema.getName(), JSON.objectNode());
                schemas.put(schema.getName(), record(schema, false));
            }
        }
        return ref(schema.getName());
    }

    private ObjectNode record(Schema schema, boolean typed) {
        ObjectNode node = JSON.objectNode().put("type", "object");
        describe(node, schema.getDoc());
        ArrayNode required = node.putArray("required");
        ObjectNode properties = node.putObject("properties");
        if (typed) {
            required.add(AvroJson.UNION_TYPE_MEMBER);
            properties.putObject(AvroJson.UNION_TYPE_MEMBER).put("const", schema.getName());
        }
        for (Schema.Field field : schema.getFields()) {
            if (!field.hasDefaultValue()) {
                required.add(field.name());
            }
            ObjectNode value = value(field.schema());
            describe(value, field.doc());
            properties.set(field.name(), value);
        }
        node.put("additionalProperties", false);
        return node;
    }

    private ObjectNode value(Schema schema) {
        return switch (schema.getType()) {
            case STRING -> JSON.objectNode().put("type", "string");
            case INT -> JSON.objectNode().put("type", "integer").put("format", "int32");
            case LONG -> JSON.objectNode().put("type", "integer").put("format", "int64");
            case BOOLEAN -> JSON.objectNode().put("type", "boolean");
            case BYTES -> JSON.objectNode().put("type", "string").put("contentEncoding", "base64url")
                    .put("pattern", BASE64URL);
            case ARRAY -> {
                ObjectNode array = JSON.objectNode().put("type", "array");
                array.set("items", value(schema.getElementType()));
                yield array;
            }
            case RECORD, ENUM -> named(schema);
            case UNION -> union(schema);
            default -> throw new IllegalArgumentException("no JSON Schema for " + schema.getType());
        };
    }

    private ObjectNode union(Schema union) {
        List<Schema> branches = union.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
        ArrayNode oneOf = JSON.arrayNode();
        if (branches.size() < union.getTypes().size()) {
            oneOf.addObject().put("type", "null");
        }
        if (branches.size() == 1) {
            oneOf.add(value(branches.get(0)));
        } else {
            for (Schema branch : branches) {
                named(branch);
                String typedName = "Typed" + branch.getName();
                schemas.computeIfAbsent(typedName, name -> record(branch, true));
                oneOf.add(ref(typedName));
            }
        }
        ObjectNode node = JSON.objectNode();
        node.set("oneOf", oneOf);
        return node;
    }

    private static void describe(ObjectNode node, String doc) {
        if (doc != null && !doc.isBlank()) {
            node.put("description", doc);
        }
    }
}
