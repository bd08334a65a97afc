package io.idstream.gateway.http;

import io.idstream.gateway.views.HolderViews.Owner;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends a request on, unchanged, to the instance that owns the holder's partition, and relays that instance's answer
 * as it comes (an event stream included) without a thread waiting on it. The method, path, query, Host header,
 * signature headers and body are the holder's own, so that the owner verifies the same signature and checks its
 * nonce; only hop-by-hop headers are dropped, and {@value #FORWARDED_HEADER} is added so that a request is forwarded
 * at most once even while two instances disagree about who owns a partition.
 */
final class Forwarder {
    static final String FORWARDED_HEADER = "Idstream-Forwarded";
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final Set<HttpHeader> HOP_BY_HOP = EnumSet.of(HttpHeader.CONNECTION, HttpHeader.KEEP_ALIVE,
            HttpHeader.TRANSFER_ENCODING, HttpHeader.TE, HttpHeader.UPGRADE, HttpHeader.CONTENT_LENGTH,
            HttpHeader.PROXY_CONNECTION, HttpHeader.EXPECT, HttpHeader.DATE, HttpHeader.SERVER);

    private final HttpClient client;
    private final Duration idleTimeout;

    Forwarder(HttpClient client, Duration idleTimeout) {
        this.client = client;
        this.idleTimeout = idleTimeout;
    }

    static boolean wasForwarded(Request request) {
        return request.getHeaders().contains(FORWARDED_HEADER);
    }

    void forward(Request request, byte[] bodyOrNull, Owner owner, Response response, Callback callback) {
        String query = request.getHttpURI().getQuery();
        URI target = URI.create("http://" + owner.host() + ":" + owner.port() + request.getHttpURI().getPath()
                + (query == null ? "" : "?" + query));
        Callback once = new OnceCallback(callback);
        AtomicBoolean streamed = new AtomicBoolean();
        org.eclipse.jetty.client.Request upstream = client.newRequest(target)
                .method(request.getMethod())
                .idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    headers.remove(HttpHeader.USER_AGENT);
                    for (HttpField field : request.getHeaders()) {
                        if (!HOP_BY_HOP.contains(field.getHeader())) {
                            headers.add(field);
                        }
                    }
                    headers.put(FORWARDED_HEADER, "1");
                });
        if (bodyOrNull != null) {
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            upstream.body(new BytesRequestContent(contentType == null ? "application/json" : contentType,
                    bodyOrNull));
        }
        request.addFailureListener(upstream::abort);
        upstream.onResponseHeaders(answer -> {
            response.setStatus(answer.getStatus());
            for (HttpField field : answer.getHeaders()) {
                if (!HOP_BY_HOP.contains(field.getHeader())) {
                    response.getHeaders().add(field);
                }
            }
        }).onResponseContentSource((answer, source) -> {
            streamed.set(true);
            Content.copy(source, response, Callback.from(once::succeeded, failure -> {
                upstream.abort(failure);
                once.failed(failure);
            }));
        }).send(result -> {
            if (result.isFailed()) {
                LOG.warn("forwarding failed owner={}:{} path={} reason={}", owner.host(), owner.port(),
                        request.getHttpURI().getPath(), result.getFailure().toString());
                if (!response.isCommitted()) {
                    response.getHeaders().clear();
                    JsonResponses.error(response, once, ApiError.unavailable("the instance that owns this holder"
                            + " did not answer"));
                } else {
                    once.failed(result.getFailure());
                }
            } else if (!streamed.get()) {
                response.write(true, ByteBuffer.allocate(0), once);
            }
        });
    }

    /** Completes the server's callback once, whichever of the copy and the exchange ends first. */
    private static final class OnceCallback implements Callback {
        private final Callback delegate;
        private final AtomicBoolean done = new AtomicBoolean();

        OnceCallback(Callback delegate) {
            this.delegate = delegate;
        }

        @Override
        public void succeeded() {
            if (done.compareAndSet(false, true)) {
                delegate.succeeded();
            }
        }

        @Override
        public void failed(Throwable failure) {
            if (done.compareAndSet(false, true)) {
                delegate.failed(failure);
            }
        }
    }
}
