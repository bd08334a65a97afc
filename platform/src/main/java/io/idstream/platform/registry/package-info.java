/**
 * A Confluent-API-compatible Schema Registry that keeps its schemas in a compacted Kafka topic, so schema ids are
 * stable across restarts; compatibility is decided by Avro's own {@code SchemaCompatibility}.
 */
package io.idstream.platform.registry;
