package io.idstream.gateway.views;

import io.idstream.avro.Grant;

/**
 * What the gateway knows of one grant id: the holder's signed terms once read from the decisions topic and verified
 * ({@code terms}, null until then), whether the audit shows the processors accepted it, and the deliveries made under
 * it. The two halves come from different topics and may arrive in either order; the grant is in force only with both.
 *
 * @param firstSeen wall-clock milliseconds when the gateway first heard of the grant id, to forget it if it never
 *                  completes
 */
record GrantProgress(Grant terms, boolean granted, int uses, long firstSeen) {
    static GrantProgress ofTerms(Grant terms, long now) {
        return new GrantProgress(terms, false, 0, now);
    }

    static GrantProgress grantedWithoutTerms(long now) {
        return new GrantProgress(null, true, 0, now);
    }

    boolean active() {
        return granted && terms != null;
    }

    GrantProgress withTerms(Grant grant) {
        return new GrantProgress(grant, granted, uses, firstSeen);
    }

    GrantProgress asGranted() {
        return new GrantProgress(terms, true, uses, firstSeen);
    }

    GrantProgress usedOnceMore() {
        return new GrantProgress(terms, granted, uses + 1, firstSeen);
    }
}
