/**
 * Kafka's own KRaft server run in-process, as one combined broker and controller or as a cluster of several that
 * replicate every topic, with its data on disk so that a restart keeps every topic.
 */
package io.idstream.platform.kafka;
