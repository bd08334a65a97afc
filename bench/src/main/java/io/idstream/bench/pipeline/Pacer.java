package io.idstream.bench.pipeline;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces sends at a fixed rate: each send has its slot, {@code 1/rate} after the previous one, and the sender parks
 * until the slot comes. Slots are counted from the start, not from the last send, so a slow send does not lower the
 * rate. A rate of 0 means no pacing: every slot is now.
 */
final class Pacer {
    private final long intervalNanos;
    private long nextSlot;

    Pacer(double ratePerSec, long startNanos) {
        this.intervalNanos = ratePerSec > 0 ? (long) (1e9 / ratePerSec) : 0;
        this.nextSlot = startNanos;
    }

    /** Parks until the next slot; a sender that is behind its slots goes on at once. */
    void awaitNextSlot() {
        if (intervalNanos == 0) {
            return;
        }
        nextSlot += intervalNanos;
        long wait = nextSlot - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
