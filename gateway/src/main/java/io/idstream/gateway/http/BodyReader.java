package io.idstream.gateway.http;

import org.eclipse.jetty.io.Content;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Reads a request body as its chunks arrive, without a thread waiting for them, and stops at the first byte over the
 * limit, so that an unannounced (chunked) body is refused as soon as it is too large.
 */
final class BodyReader implements Runnable {
    /** The body is larger than the limit. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("the body is over the limit", null, false, false);
        }
    }

    private final Content.Source source;
    private final int maxBytes;
    private final BiConsumer<byte[], Throwable> done;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private BodyReader(Content.Source source, int maxBytes, BiConsumer<byte[], Throwable> done) {
        this.source = source;
        this.maxBytes = maxBytes;
        this.done = done;
    }

    /** Calls {@code done} once, with the body or with the failure ({@link TooLarge} past the limit). */
    static void read(Content.Source source, int maxBytes, BiConsumer<byte[], Throwable> done) {
        new BodyReader(source, maxBytes, done).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.accept(null, chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean last = chunk.isLast();
            if (body.size() + bytes.remaining() > maxBytes) {
                chunk.release();
                TooLarge tooLarge = new TooLarge();
                source.fail(tooLarge);
                done.accept(null, tooLarge);
                return;
            }
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            body.write(copy, 0, copy.length);
            chunk.release();
            if (last) {
                done.accept(body.toByteArray(), null);
                return;
            }
        }
    }
}
