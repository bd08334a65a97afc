package io.idstream.schemas.registry;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A schema registry held in this process, named by a {@code mock://<scope>} URL as Confluent's serdes name theirs:
 * every serde configured with the same scope shares one. It has the id rules of a real registry (one id per distinct
 * schema, versions per subject) and no compatibility checks. For {@code TopologyTestDriver} tests; a deployment
 * points {@code schema.registry.url} at a real registry.
 */
public final class LocalSchemaRegistry implements SchemaRegistry {
    public static final String URL_SCHEME = "mock://";

    private static final Map<String, LocalSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new HashMap<>();

    private LocalSchemaRegistry() {
    }

    /** The registry of a {@code mock://<scope>} URL, created on first use. */
    public static LocalSchemaRegistry forUrl(String url) {
        if (!url.startsWith(URL_SCHEME)) {
            throw new IllegalArgumentException("not a mock:// registry URL: " + url);
        }
        return SCOPES.computeIfAbsent(url.substring(URL_SCHEME.length()), scope -> new LocalSchemaRegistry());
    }

    /** Forgets the scope's schemas, so that each test starts from an empty registry. */
    public static void drop(String url) {
        SCOPES.remove(url.substring(URL_SCHEME.length()));
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        String canonical = schema.toString();
        int id = idsBySchema.computeIfAbsent(canonical, s -> idsBySchema.size() + 1);
        schemasById.putIfAbsent(id, schema);
        List<Integer> versions = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        Integer id = idsBySchema.get(schema.toString());
        List<Integer> versions = idsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException("Subject '" + subject + "' not found.", 404, 40401);
        }
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException("Schema not found", 404, 40403);
        }
        return new RegisteredSchema(subject, id, versions.indexOf(id) + 1, schema.toString());
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, 40403);
        }
        return schema;
    }
}
