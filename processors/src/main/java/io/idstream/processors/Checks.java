package io.idstream.processors;

import io.idstream.crypto.CryptoException;

import java.time.Duration;

/**
 * The checks every processor and handler runs on an untrusted record, each turning its failure into the
 * {@link Rejection} that names the reason: a record keyed by another id than the one it is about, an id or name of
 * the wrong shape, a signature that does not verify, an entry the record names that is not there.
 */
public final class Checks {
    /**
     * How far ahead of the processors' clock a signed record may be dated. One dated further ahead would stay fresh
     * after its id is forgotten at the end of the replay window, and could then be replayed.
     */
    public static final long MAX_CLOCK_SKEW_MS = Duration.ofMinutes(5).toMillis();

    private Checks() {
    }

    /**
     * Refuses a record signed longer ago than the replay window, whose id could be forgotten already, and one dated
     * further ahead than the allowed clock skew, which would outlive its id (docs/protocol.md section 11).
     *
     * @param what the record, in words, for the rejection ("write grant 6f1c…")
     */
    public static void requireFresh(String what, long signedAt, long now, long replayWindowMs) {
        if (signedAt < now - replayWindowMs) {
            throw new Rejection(RejectReason.STALE, what + " was signed before the replay window");
        }
        if (signedAt > now + MAX_CLOCK_SKEW_MS) {
            throw new Rejection(RejectReason.FUTURE_DATED, what + " is dated " + (signedAt - now)
                    + " ms ahead of the processors' clock, more than the " + MAX_CLOCK_SKEW_MS + " ms allowed");
        }
    }

    /** Records are keyed by the id they are about; any other key would land them in another task's partition. */
    public static void requireKey(String key, String id, String what) {
        if (!key.equals(id)) {
            throw new Rejection(RejectReason.KEY_MISMATCH, "record key '" + key + "' is not the " + what + " '"
                    + id + "'");
        }
    }

    /** Runs a signature check, turning its failure into a {@link RejectReason#BAD_SIGNATURE} rejection. */
    public static void checkSignature(Runnable check) {
        try {
            check.run();
        } catch (CryptoException e) {
            throw new Rejection(RejectReason.BAD_SIGNATURE, e.getMessage());
        }
    }

    /** Runs the crypto module's id and name checks, turning a failure into a {@link RejectReason#MALFORMED} one. */
    public static void checkShape(Runnable check) {
        try {
            check.run();
        } catch (CryptoException e) {
            throw new Rejection(RejectReason.MALFORMED, e.getMessage());
        }
    }

    /** The entry a record names, as a lookup found it, or the rejection that says it is not there. */
    public static <T> T requireFound(T found, RejectReason reason, String detail) {
        if (found == null) {
            throw new Rejection(reason, detail);
        }
        return found;
    }
}
