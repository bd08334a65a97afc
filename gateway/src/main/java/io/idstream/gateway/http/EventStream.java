package io.idstream.gateway.http;

import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One open {@code text/event-stream} response. Events are queued and written one at a time with non-blocking writes,
 * so no thread waits on a reader; a reader that lets more than {@code maxQueued} events pile up is disconnected
 * rather than buffered without bound, and a failed write ends the stream.
 */
final class EventStream {
    final String holderId;
    private final Response response;
    private final Callback callback;
    private final int maxQueued;
    private final Consumer<EventStream> onClose;
    private final BooleanSupplier stillBound;
    private final long endsAtMillis;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;
    private boolean finishing;
    private boolean completed;

    EventStream(String holderId, Response response, Callback callback, int maxQueued, Consumer<EventStream> onClose,
                BooleanSupplier stillBound, long endsAtMillis) {
        this.holderId = holderId;
        this.stillBound = stillBound;
        this.endsAtMillis = endsAtMillis;
        this.response = response;
        this.callback = callback;
        this.maxQueued = maxQueued;
        this.onClose = onClose;
    }

    /** Whether the stream is to end: its lifetime is over, or the key it was opened under is not the holder's. */
    boolean over(long nowMillis) {
        return nowMillis >= endsAtMillis || !stillBound.getAsBoolean();
    }

    /** Queues one frame ({@code event:}/{@code data:} lines, or a comment); never blocks. */
    void send(String frame) {
        ByteBuffer next;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= maxQueued) {
                next = null;
            } else {
                queue.add(ByteBuffer.wrap(frame.getBytes(StandardCharsets.UTF_8)));
                if (writing) {
                    return;
                }
                writing = true;
                next = queue.poll();
            }
        }
        if (next == null) {
            fail(new IOException("the reader fell " + maxQueued + " events behind"));
        } else {
            write(next);
        }
    }

    private void write(ByteBuffer frame) {
        response.write(false, frame, Callback.from(this::written, this::writeFailed));
    }

    private void written() {
        ByteBuffer next;
        boolean end;
        synchronized (this) {
            next = closed ? null : queue.poll();
            end = next == null && finishing;
            if (next == null) {
                writing = false;
            }
        }
        if (end) {
            response.write(true, ByteBuffer.allocate(0), completion());
        } else if (next != null) {
            write(next);
        }
    }

    private void writeFailed(Throwable failure) {
        synchronized (this) {
            writing = false;
        }
        markClosed();
        completion().failed(failure);
    }

    /**
     * Ends the stream abruptly and closes the connection; a write under way is cut short by closing the endpoint,
     * whose failure then completes the response.
     */
    void fail(Throwable reason) {
        boolean pending;
        synchronized (this) {
            pending = writing;
        }
        if (!markClosed()) {
            return;
        }
        if (pending) {
            response.getRequest().getConnectionMetaData().getConnection().getEndPoint().close(reason);
        } else {
            completion().failed(reason);
        }
    }

    /** Ends the stream in order, after the write under way, as the server stops. */
    void finish() {
        boolean idle;
        synchronized (this) {
            finishing = true;
            idle = !writing;
        }
        if (markClosed() && idle) {
            response.write(true, ByteBuffer.allocate(0), completion());
        }
    }

    private boolean markClosed() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            queue.clear();
        }
        onClose.accept(this);
        return true;
    }

    /** The handler's callback, completed at most once whichever way the stream ends. */
    private Callback completion() {
        synchronized (this) {
            if (completed) {
                return Callback.NOOP;
            }
            completed = true;
        }
        return callback;
    }
}
