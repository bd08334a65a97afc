/**
 * Clients for each participant: {@link io.idstream.sdk.IssuerClient}, {@link io.idstream.sdk.HolderClient},
 * {@link io.idstream.sdk.ConsumerClient} and {@link io.idstream.sdk.OperatorClient}. They are configured by plain
 * Kafka client properties (so SASL and TLS work unchanged) plus {@code schema.registry.url}, keep each identity's
 * keys in its own directory, and never send a private key or a plaintext value anywhere. A holder may instead reach
 * the platform through the holder gateway's HTTP API ({@link io.idstream.sdk.GatewayConnection}).
 */
package io.idstream.sdk;
