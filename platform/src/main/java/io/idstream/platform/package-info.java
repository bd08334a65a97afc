/**
 * The embedded default: one process that runs a real Kafka broker, the Schema Registry and topic provisioning, so
 * that a single machine runs idstream with nothing else installed.
 */
package io.idstream.platform;
