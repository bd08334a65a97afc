package io.idstream.processors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The processors' metrics in the Prometheus text format at {@code /metrics} (Kafka Streams' own and idstream's
 * counters: {@code idstream_processors_rejected_total{reason}}, {@code idstream_processors_outcomes_total{outcome}}),
 * and {@code /health}: 200 while the application runs or rebalances, 503 otherwise.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final KafkaStreams streams;

    private MetricsServer(HttpServer server, ExecutorService executor, KafkaStreams streams) {
        this.server = server;
        this.executor = executor;
        this.streams = streams;
    }

    public static MetricsServer start(KafkaStreams streams, String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "idstream-metrics-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            MetricsServer metrics = new MetricsServer(server, executor, streams);
            server.createContext("/metrics", metrics::metrics);
            server.createContext("/health", metrics::health);
            server.start();
            return metrics;
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        Map<String, String> lines = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            Object value = entry.getValue().metricValue();
            if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())
                    || Double.isInfinite(number.doubleValue())) {
                continue;
            }
            MetricName name = entry.getKey();
            StringBuilder labels = new StringBuilder();
            new TreeMap<>(name.tags()).forEach((key, tag) -> labels.append(labels.length() == 0 ? "" : ",")
                    .append(sanitize(key)).append("=\"").append(escape(tag))
                    .append('"'));
            String metric = sanitize(name.group() + "_" + name.name());
            lines.put(metric + "{" + labels + "}", metric + (labels.length() == 0 ? "" : "{" + labels + "}") + " "
                    + number.doubleValue());
        }
        StringBuilder body = new StringBuilder();
        lines.values().forEach(line -> body.append(line).append('\n'));
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", body.toString());
    }

    private void health(HttpExchange exchange) throws IOException {
        KafkaStreams.State state = streams.state();
        boolean healthy = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        respond(exchange, healthy ? 200 : 503, "application/json",
                "{\"status\":\"" + (healthy ? "UP" : "DOWN") + "\",\"state\":\"" + state + "\"}");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A label value as the text format wants it: backslash and double quote escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
