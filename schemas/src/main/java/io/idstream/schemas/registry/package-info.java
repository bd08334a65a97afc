/**
 * A client of the Confluent Schema Registry REST API: registers schemas under subjects and resolves the ids
 * that the wire format carries, caching both; it speaks to Confluent's own server and to idstream's embedded one.
 */
package io.idstream.schemas.registry;
