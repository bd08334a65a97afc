package io.idstream.gateway.http;

import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
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
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;

    EventStream(String holderId, Response response, Callback callback, int maxQueued, Consumer<EventStream> onClose) {
        this.holderId = holderId;
        this.response = response;
        this.callback = callback;
        this.maxQueued = maxQueued;
        this.onClose = onClose;
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
        response.write(false, frame, Callback.from(this::written, this::fail));
    }

    private void written() {
        ByteBuffer next;
        synchronized (this) {
            next = closed ? null : queue.poll();
            if (next == null) {
                writing = false;
                return;
            }
        }
        write(next);
    }

    /** Ends the stream abruptly: the connection is closed. */
    void fail(Throwable reason) {
        if (markClosed()) {
            callback.failed(reason);
        }
    }

    /** Ends the stream in order, as the server stops. */
    void finish() {
        if (markClosed()) {
            response.write(true, ByteBuffer.allocate(0), callback);
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
}
