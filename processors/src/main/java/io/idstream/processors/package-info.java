/**
 * idstream's Kafka Streams application: {@link io.idstream.processors.IdstreamTopology} wires the directory verifier,
 * the storage processor and the access processor; {@link io.idstream.processors.ProcessorsConfig} declares every
 * setting. The processors hold no private key and never see a plaintext value.
 */
package io.idstream.processors;
