package io.idstream.sdk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.idstream.mapping.AvroJson;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the holder gateway on 127.0.0.1 and a free port: it records every request as it arrived (the URI
 * rebuilt from the Host header, as the gateway rebuilds {@code @target-uri}; the headers; the body) and answers each
 * path with what the test put there, or 404 not-found.
 */
final class RecordingGateway implements AutoCloseable {
    /** A request as the gateway received it. */
    record Received(String method, URI targetUri, Headers headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : String.join(", ", values);
        }
    }

    /** What the gateway does with a request to one path. */
    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;

    RecordingGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code method path} (the path without its query) with {@code status} and the JSON {@code body}. */
    void answer(String method, String path, int status, String body) {
        answers.put(method + " " + path, exchange -> send(exchange, status, body));
    }

    void answer(String method, String path, Answer answer) {
        answers.put(method + " " + path, answer);
    }

    /** The record's JSON form, as the gateway writes it. */
    static String json(SpecificRecord record) {
        return AvroJson.toJson(record).toString();
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        URI asSent = exchange.getRequestURI();
        received.add(new Received(exchange.getRequestMethod(), URI.create("http://"
                + exchange.getRequestHeaders().getFirst("Host") + asSent.getRawPath()
                + (asSent.getRawQuery() == null ? "" : "?" + asSent.getRawQuery())), exchange.getRequestHeaders(),
                body));
        Answer answer = answers.get(exchange.getRequestMethod() + " " + asSent.getRawPath());
        if (answer == null) {
            send(exchange, 404, "{\"error\":{\"code\":\"not-found\",\"message\":\"nothing at " + asSent.getRawPath()
                    + "\"}}");
        } else {
            answer.answer(exchange);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
