package io.idstream.processors;

import io.idstream.crypto.CryptoException;
import io.idstream.crypto.Encoding;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

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
    /** Most credential types one write grant or consent request names (docs/protocol.md section 6a). */
    public static final int MAX_CREDENTIAL_TYPES = 16;
    /** Longest credential type, in UTF-8 bytes. */
    public static final int MAX_CREDENTIAL_TYPE_BYTES = 128;

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

    /**
     * A write grant's or consent request's credential types: at least one, at most {@value #MAX_CREDENTIAL_TYPES},
     * each non-empty and at most {@value #MAX_CREDENTIAL_TYPE_BYTES} UTF-8 bytes, strictly sorted in unsigned byte
     * order; else a {@link RejectReason#MALFORMED} rejection.
     */
    public static void requireCredentialTypes(List<String> types) {
        if (types.isEmpty() || types.size() > MAX_CREDENTIAL_TYPES) {
            throw new Rejection(RejectReason.MALFORMED, "names " + types.size() + " credential types, not 1 to "
                    + MAX_CREDENTIAL_TYPES);
        }
        for (String type : types) {
            int bytes = type.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > MAX_CREDENTIAL_TYPE_BYTES) {
                throw new Rejection(RejectReason.MALFORMED, "a credential type is empty or longer than "
                        + MAX_CREDENTIAL_TYPE_BYTES + " bytes");
            }
        }
        if (!Encoding.isStrictlySorted(types)) {
            throw new Rejection(RejectReason.MALFORMED, "credential types are not in ascending order or repeat one");
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
