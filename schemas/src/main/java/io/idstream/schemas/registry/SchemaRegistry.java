package io.idstream.schemas.registry;

import org.apache.avro.Schema;

/**
 * What a serde needs of a schema registry: register a schema under a subject, find it there, and resolve the id a
 * record carries. {@link SchemaRegistryClient} speaks Confluent's REST API; {@link LocalSchemaRegistry} keeps
 * schemas in this process, for topology tests that run without a network.
 */
public interface SchemaRegistry {
    /** Registers {@code schema} under {@code subject} (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Finds {@code schema} among the versions of {@code subject}. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The schema with this global id. */
    Schema schemaById(int id);
}
