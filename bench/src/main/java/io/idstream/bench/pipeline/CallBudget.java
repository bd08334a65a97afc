package io.idstream.bench.pipeline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * At most {@code calls} calls within any {@code window}: the holder gateway refuses a holder's request with 429 once
 * the holder signed 1,000 within twice its clock skew (docs/protocol.md section 16), so the benchmark, which signs as
 * one holder, waits before a call that would pass a budget kept under that. The wait is outside every timed span.
 */
final class CallBudget {
    private final int calls;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final LongConsumer sleeper;
    private final ArrayDeque<Long> made = new ArrayDeque<>();

    CallBudget(int calls, Duration window) {
        this(calls, window, System::nanoTime, CallBudget::sleepNanos);
    }

    CallBudget(int calls, Duration window, LongSupplier nanoClock, LongConsumer sleeper) {
        if (calls < 1) {
            throw new IllegalArgumentException("a budget of " + calls + " calls");
        }
        this.calls = calls;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** Waits until one more call stays within the budget, and counts it as made now. */
    synchronized void take() {
        long now = nanoClock.getAsLong();
        while (true) {
            while (!made.isEmpty() && now - made.peekFirst() >= windowNanos) {
                made.pollFirst();
            }
            if (made.size() < calls) {
                made.addLast(now);
                return;
            }
            sleeper.accept(made.peekFirst() + windowNanos - now);
            now = nanoClock.getAsLong();
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000), (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the call budget", e);
        }
    }
}
