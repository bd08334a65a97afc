package io.idstream.processors.access;

import io.idstream.processors.PrincipalTopics;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.directory.DirectoryView;

import java.util.function.LongSupplier;

/**
 * What every handler of the access processor works with, made once per task when the {@link AccessProcessor} opens:
 * the holders' state and the outbox the handlers write through, the two steps several handlers end in (a delivery
 * from a grant, the end of grants), the verified directory, the processors' config, the consumers' delivery topics,
 * what issuers are told, and the wall clock. Each handler is constructed from it alone.
 */
record AccessContext(HolderState state, AccessOutbox outbox, Deliveries deliveries, GrantEndings endings,
                     DirectoryView directory, ProcessorsConfig config, PrincipalTopics deliveryTopics,
                     IssuerNotices issuerNotices, LongSupplier clock) {

    /** The wall-clock time the task is at, which expiries and the replay window are measured against. */
    long now() {
        return clock.getAsLong();
    }
}
