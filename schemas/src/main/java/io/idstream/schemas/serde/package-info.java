/**
 * Kafka serdes for idstream's generated Avro records in the Confluent wire format (magic byte 0, 4-byte schema id,
 * Avro binary), so that records written here read with Confluent's deserializers and the other way round.
 */
package io.idstream.schemas.serde;
