package io.idstream.gateway.views;

import io.idstream.avro.WriteGrant;

/**
 * A write grant as the gateway keeps it: the holder's signed record, and whether its signature verified under the key
 * the directory bound to the holder when it was read. One read before the holder's registration reached this
 * instance is kept unverified, and shown only once it verifies under the key bound then.
 */
record WriteGrantEntry(WriteGrant writeGrant, boolean verified) {
}
