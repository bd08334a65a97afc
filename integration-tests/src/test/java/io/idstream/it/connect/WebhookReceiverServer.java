package io.idstream.it.connect;

import com.sun.net.httpserver.HttpServer;
import io.idstream.sdk.webhook.WebhookHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A consumer's webhook endpoint for tests, on 127.0.0.1: records every POST and answers with the statuses it is
 * told to, in order, then 200.
 */
final class WebhookReceiverServer implements AutoCloseable {
    /** One POST: its Standard Webhooks headers, and its delivery id read back from the webhook-id header. */
    record Post(String deliveryId, WebhookHeaders headers, byte[] body, int answeredStatus) {
    }

    private final HttpServer server;
    private final Deque<Integer> plannedStatuses = new ArrayDeque<>();
    private final LinkedBlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private final List<Post> all = new ArrayList<>();

    WebhookReceiverServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/idstream", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status;
            synchronized (plannedStatuses) {
                status = plannedStatuses.isEmpty() ? 200 : plannedStatuses.poll();
            }
            WebhookHeaders headers = WebhookHeaders.from(exchange.getRequestHeaders()::getFirst);
            String deliveryId = headers.id() == null ? null : URLDecoder.decode(headers.id(), StandardCharsets.UTF_8);
            Post post = new Post(deliveryId, headers, body, status);
            synchronized (all) {
                all.add(post);
            }
            posts.add(post);
            byte[] answer = (status == 200 ? "ok" : "refused with " + status).getBytes();
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/idstream");
    }

    /** The next POSTs get these statuses, in order. */
    void answerNext(Integer... statuses) {
        synchronized (plannedStatuses) {
            plannedStatuses.addAll(List.of(statuses));
        }
    }

    Post next(Duration timeout) throws InterruptedException {
        Post post = posts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (post == null) {
            throw new AssertionError("no webhook POST within " + timeout.toSeconds() + " s");
        }
        return post;
    }

    List<Post> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
