package io.idstream.cli.wallet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The wallet page's open server-sent event streams ({@code GET /api/events}): each change the gateway reports is
 * pushed to every open page as an event {@code change} naming its kind, never its content, so that the page reads
 * its state again; a comment line every 15 s keeps idle connections open. A stream whose write fails is dropped.
 */
final class EventStreams implements AutoCloseable {
    /** Pages one holder may have open at once; each holds one of the wallet's threads. */
    static final int MAX_STREAMS = 8;
    private static final long KEEP_ALIVE_SECONDS = 15;

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "idstream-wallet-keep-alive");
        thread.setDaemon(true);
        return thread;
    });

    EventStreams() {
        keepAlive.scheduleAtFixedRate(() -> broadcast(": keep-alive\n\n"), KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS,
                TimeUnit.SECONDS);
    }

    /** Whether another page may open a stream now. */
    boolean full() {
        return open.size() >= MAX_STREAMS;
    }

    /** Pushes a change of {@code kind} (inbox, audit, grant, consent) to every open page. */
    void changed(String kind) {
        broadcast("event: change\ndata: {\"kind\":\"" + kind + "\"}\n\n");
    }

    /** Serves one page's stream on {@code body} until the page goes away or the wallet stops. */
    void serve(OutputStream body) throws InterruptedException {
        Stream stream = new Stream(body);
        open.add(stream);
        try {
            // A first line at once, so that the page's EventSource opens (and reads the state) without waiting.
            stream.write(": connected\n\n");
            stream.ended.await();
        } finally {
            open.remove(stream);
        }
    }

    private void broadcast(String text) {
        for (Stream stream : open) {
            stream.write(text);
        }
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        for (Stream stream : open) {
            stream.ended.countDown();
        }
    }

    private static final class Stream {
        private final OutputStream body;
        private final CountDownLatch ended = new CountDownLatch(1);

        Stream(OutputStream body) {
            this.body = body;
        }

        synchronized void write(String text) {
            if (ended.getCount() == 0) {
                return;
            }
            try {
                body.write(text.getBytes(StandardCharsets.UTF_8));
                body.flush();
            } catch (IOException e) {
                ended.countDown();
            }
        }
    }
}
