/**
 * The gateway's HTTP API (docs/protocol.md section 16): routes, the holders' request signatures and nonces, event
 * streams, and the forwarding of a request to the instance that owns the holder's partition.
 */
package io.idstream.gateway.http;
