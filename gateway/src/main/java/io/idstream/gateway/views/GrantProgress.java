package io.idstream.gateway.views;

import io.idstream.avro.Grant;

/**
 * What the gateway knows of one grant id: the holder's signed terms once read from the decisions topic ({@code terms},
 * null until then), whether the audit shows the processors accepted it, and the deliveries made under it. The two
 * halves come from different topics and may arrive in either order; the grant is in force only with both, and only
 * once the terms verified under the holder's key ({@code verified}). Terms read before the holder's registration
 * reached the gateway are kept unverified, and verified when the key is known.
 *
 * @param firstSeen wall-clock milliseconds when the gateway first heard of the grant id, to forget it if it never
 *                  completes
 */
record GrantProgress(Grant terms, boolean verified, boolean granted, int uses, long firstSeen) {
    static GrantProgress ofTerms(Grant terms, boolean verified, long now) {
        return new GrantProgress(terms, verified, false, 0, now);
    }

    static GrantProgress grantedWithoutTerms(long now) {
        return new GrantProgress(null, false, true, 0, now);
    }

    boolean active() {
        return granted && terms != null && verified;
    }

    /** Terms read, and not yet verified because the holder's key was not known then. */
    boolean awaitsVerification() {
        return terms != null && !verified;
    }

    GrantProgress withTerms(Grant grant, boolean termsVerified) {
        return new GrantProgress(grant, termsVerified, granted, uses, firstSeen);
    }

    GrantProgress asVerified() {
        return new GrantProgress(terms, true, granted, uses, firstSeen);
    }

    GrantProgress withoutTerms() {
        return new GrantProgress(null, false, granted, uses, firstSeen);
    }

    GrantProgress asGranted() {
        return new GrantProgress(terms, verified, true, uses, firstSeen);
    }

    GrantProgress usedOnceMore() {
        return new GrantProgress(terms, verified, granted, uses + 1, firstSeen);
    }
}
