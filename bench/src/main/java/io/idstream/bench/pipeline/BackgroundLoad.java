package io.idstream.bench.pipeline;

import io.idstream.avro.AccessRequest;
import io.idstream.topics.Topic;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests sent at a fixed rate on a thread of their own, so that another phase measures under load: runs through
 * its pre-signed requests until they run out or it is closed. {@link #awaitFirstSecond} tells when the load has been
 * running for a second, so that what is measured after is the load's steady flow, not its start.
 */
final class BackgroundLoad implements AutoCloseable {
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch firstSecondSent;

    private BackgroundLoad(LoadProducer producer, Topic<String, AccessRequest> topic, List<AccessRequest> requests,
                           double ratePerSec) {
        // The send that opens the second second: one more than the sends of the first.
        this.firstSecondSent = new CountDownLatch((int) Math.ceil(ratePerSec) + 1);
        this.thread = new Thread(() -> {
            Pacer pacer = new Pacer(ratePerSec, System.nanoTime());
            for (AccessRequest request : requests) {
                if (!running.get()) {
                    return;
                }
                producer.send(topic, request.getHolderId(), request);
                firstSecondSent.countDown();
                pacer.awaitNextSlot();
            }
        }, "bench-background-load");
    }

    static BackgroundLoad start(LoadProducer producer, Topic<String, AccessRequest> topic,
                                List<AccessRequest> requests, double ratePerSec) {
        BackgroundLoad load = new BackgroundLoad(producer, topic, requests, ratePerSec);
        load.thread.start();
        return load;
    }

    /** Blocks until a second's worth of requests has been sent. */
    void awaitFirstSecond(Duration timeout) throws InterruptedException {
        if (!firstSecondSent.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the background load sent less than a second's worth in "
                    + timeout.toSeconds() + " s");
        }
    }

    /** Stops the load and waits for its thread; an interrupt while waiting is kept for the caller to see. */
    @Override
    public void close() {
        running.set(false);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
