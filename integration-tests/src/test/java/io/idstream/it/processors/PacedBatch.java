package io.idstream.it.processors;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A batch sent at a steady pace, the way live clients send, from one thread: for one holder, the order of the ids is
 * the order of the records' offsets. It keeps the ids sent so far, in the order it sent them.
 */
final class PacedBatch {
    private final ScheduledExecutorService senders;
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Future<?> task;

    private PacedBatch(ScheduledExecutorService senders) {
        this.senders = senders;
    }

    /**
     * Sends {@code count} times (use {@link Integer#MAX_VALUE} and {@link #stop} for a stream), one send every
     * {@code interval}, on {@code senders}, which must have one thread.
     */
    static PacedBatch send(ScheduledExecutorService senders, Duration interval, int count, Sending sending) {
        PacedBatch batch = new PacedBatch(senders);
        batch.task = senders.scheduleAtFixedRate(() -> {
            if (batch.done.isDone()) {
                return;
            }
            try {
                batch.ids.add(sending.send(batch.ids.size()));
                if (batch.ids.size() == count) {
                    batch.done.complete(null);
                }
            } catch (Exception e) {
                batch.done.completeExceptionally(e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return batch;
    }

    /** One send; returns the id of what it sent. */
    @FunctionalInterface
    interface Sending {
        String send(int index) throws Exception;
    }

    /** The ids sent so far, in the order they were sent. */
    List<String> ids() {
        return ids;
    }

    /**
     * Fails at once with the send that failed, if one did, so that a wait for what the sends should bring about
     * stops with the cause rather than timing out later.
     */
    void throwIfFailed() {
        if (done.isCompletedExceptionally()) {
            try {
                done.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("sending stopped after " + ids.size() + " sends: a send failed",
                        e.getCause());
            }
        }
    }

    /** True until the whole batch is sent or a send failed. */
    boolean isSending() {
        return !done.isDone();
    }

    /** Stops sending; returns once the send under way, if any, is done; fails with the first send that failed. */
    void stop() throws Exception {
        task.cancel(false);
        senders.submit(() -> done.complete(null)).get();
        done.get();
    }

    /** Waits until the whole batch is sent; fails with the first send that failed. */
    void awaitAll(Duration timeout) throws Exception {
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        task.cancel(false);
    }
}
