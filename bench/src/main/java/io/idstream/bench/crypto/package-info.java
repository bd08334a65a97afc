/**
 * JMH benchmarks of the protocol's cryptography on one core: the per-delivery floor (Ed25519 verify, HPKE open) and
 * the costs of issuing, granting and verifying a delivery.
 */
package io.idstream.bench.crypto;
