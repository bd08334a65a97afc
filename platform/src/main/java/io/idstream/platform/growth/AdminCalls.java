package io.idstream.platform.growth;

import org.apache.kafka.common.KafkaFuture;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for an Admin call, turning its failure into one that names what was being done. */
final class AdminCalls {
    private AdminCalls() {
    }

    static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
        return await(future, timeout, what, null, null);
    }

    /**
     * As {@link #await(KafkaFuture, Duration, String)}, but {@code otherwise} when the call fails with {@code expected}:
     * a group that does not exist, a cluster without ACLs.
     */
    static <T> T await(KafkaFuture<T> future, Duration timeout, String what, Class<? extends Throwable> expected,
                       T otherwise) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (expected != null && expected.isInstance(e.getCause())) {
                return otherwise;
            }
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
