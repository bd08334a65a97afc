/**
 * The webhook sink: a Kafka Connect connector that POSTs each event of a consumer's delivery topic, still encrypted,
 * to that consumer's endpoint, signed with a shared secret; retries what may succeed later and dead-letters the rest.
 */
package io.idstream.connectors.webhook;
