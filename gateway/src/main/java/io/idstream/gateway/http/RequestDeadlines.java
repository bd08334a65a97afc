package io.idstream.gateway.http;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * A total deadline for reading one request, its headers and its body: a client that sends a request a byte at a time
 * keeps its connection from ever going idle, so the idle timeout never cuts it; this does. Every connection is
 * looked at on each {@link #sweep}: one whose parser is in a request's headers or body (not between requests, not
 * done reading) since longer than the deadline, with no request completed meanwhile, is closed. An open event
 * stream's request was read in full, so a stream is not cut.
 */
final class RequestDeadlines implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);

    private final long deadlineNanos;
    private final Map<HttpConnection, Reading> open = new ConcurrentHashMap<>();

    RequestDeadlines(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new Reading());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** Closes the connections that have been reading one request for longer than the deadline. */
    void sweep(long nowNanos) {
        open.forEach((connection, reading) -> {
            HttpParser parser = connection.getParser();
            boolean midRequest = parser.inHeaderState() || parser.inContentState()
                    || parser.isState(HttpParser.State.CONTENT_END) || parser.isState(HttpParser.State.TRAILER);
            // The connection counts a request in once its headers are read: the request being read is the next one
            // while in the headers, the last one counted while in the body.
            long request = connection.getMessagesIn() + (parser.inHeaderState() ? 1 : 0);
            if (!midRequest || request != reading.request || reading.sinceNanos < 0) {
                reading.request = request;
                reading.sinceNanos = midRequest ? nowNanos : -1;
                return;
            }
            if (nowNanos - reading.sinceNanos > deadlineNanos) {
                LOG.info("closing a connection that took too long to send its request remote={}",
                        connection.getEndPoint().getRemoteSocketAddress());
                open.remove(connection);
                connection.getEndPoint().close(new TimeoutException("the request was not read within "
                        + Duration.ofNanos(deadlineNanos)));
            }
        });
    }

    private static final class Reading {
        long request = -1;
        long sinceNanos = -1;
    }
}
