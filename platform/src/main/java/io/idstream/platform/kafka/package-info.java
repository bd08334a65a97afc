/**
 * Kafka's own KRaft server (broker and controller in one node) run in-process, with its data on disk so that a
 * restart keeps every topic.
 */
package io.idstream.platform.kafka;
