/**
 * How a holder's HTTP request is signed and checked (docs/protocol.md section 16): RFC 9421 HTTP Message Signatures
 * with Ed25519 over the method, the target URI and the RFC 9530 {@code Content-Digest} of the body. Parsing of the
 * headers is strict: anything a client sends is either accepted or refused with a stable code.
 */
package io.idstream.crypto.http;
