package io.idstream.schemas.registry;

/**
 * One version of a subject as the registry reports it: the subject, its global schema id, the version number within
 * the subject, and the schema text.
 */
public record RegisteredSchema(String subject, int id, int version, String schema) {
}
