package io.idstream.connectors.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.idstream.sdk.webhook.WebhookHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook endpoint on 127.0.0.1 for the sink's unit tests: records every request it gets, on any path, and answers
 * each with the next planned {@link Answer} (then 200). A hanging answer holds the request until the endpoint closes.
 */
final class LocalEndpoint implements AutoCloseable {
    static final String HOOK_PATH = "/hooks/idstream";

    /** How to answer one request: a status with an optional {@code Location}, or no answer at all. */
    record Answer(int status, String location, boolean holdOpen) {
        static Answer status(int status) {
            return new Answer(status, null, false);
        }

        static Answer redirect(int status, String location) {
            return new Answer(status, location, false);
        }

        static Answer hang() {
            return new Answer(0, null, true);
        }
    }

    /** One request as it arrived, with the status it was answered (0: held without an answer). */
    record Request(String method, String path, WebhookHeaders headers, byte[] body, int answeredStatus) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Deque<Answer> planned = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();

    private LocalEndpoint(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** On a free port. */
    static LocalEndpoint start() throws IOException {
        return new LocalEndpoint(0);
    }

    /** On this port (one where an earlier endpoint was closed). */
    static LocalEndpoint startOn(int port) throws IOException {
        return new LocalEndpoint(port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Answer answer;
        synchronized (planned) {
            answer = planned.isEmpty() ? Answer.status(200) : planned.poll();
        }
        WebhookHeaders headers = WebhookHeaders.from(exchange.getRequestHeaders()::getFirst);
        synchronized (requests) {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body,
                    answer.status()));
        }
        if (answer.holdOpen()) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (answer.location() != null) {
            exchange.getResponseHeaders().set("Location", answer.location());
        }
        byte[] text = ("answered " + answer.status()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), text.length);
        exchange.getResponseBody().write(text);
        exchange.close();
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    URI hookUrl() {
        return url(HOOK_PATH);
    }

    /** The next requests get these answers, in order. */
    void answerNext(Answer... answers) {
        synchronized (planned) {
            planned.addAll(List.of(answers));
        }
    }

    /** Every request so far, in the order they arrived. */
    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
