/**
 * The holder gateway: the one way holders reach idstream. A Kafka Streams application of its own materializes
 * holder-indexed views from the processors' output topics ({@link io.idstream.gateway.views}), and an HTTP API serves
 * them to holders who sign every request with their own key.
 */
package io.idstream.gateway;
