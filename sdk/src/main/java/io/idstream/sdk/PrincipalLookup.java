package io.idstream.sdk;

import io.idstream.avro.VerifiedPrincipal;

import java.util.Optional;

/**
 * Where a client finds a principal's verified entry (keys, role, accreditation). {@link DirectoryClient} reads the
 * verified directory (docs/protocol.md section 10); verification takes this interface rather than the client, so
 * that what it decides from the entries it is given can be run, and checked, without reading Kafka.
 */
@FunctionalInterface
interface PrincipalLookup {
    /** The principal's verified entry, or empty when there is none. */
    Optional<VerifiedPrincipal> find(String id);
}
