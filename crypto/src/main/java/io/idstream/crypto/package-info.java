/**
 * docs/protocol.md in code: Ed25519 and X25519 keys in PKCS#8 PEM, HPKE (RFC 9180), per-field encryption and
 * commitments, and every signed statement with its verifier. Bytes and strings in, bytes and typed results out; no
 * message, {@code toString()} or log line here ever carries a private key, a field key or a plaintext value.
 */
package io.idstream.crypto;
