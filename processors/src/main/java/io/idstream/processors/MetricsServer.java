package io.idstream.processors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The processors' metrics for Prometheus at {@code /metrics}, and {@code /health}: 200 while the application runs or
 * rebalances, 503 otherwise. A Micrometer registry holds Kafka Streams' own metrics ({@code kafka_stream_*},
 * {@code kafka_consumer_*}, ...), idstream's counters per stream thread
 * ({@code idstream_processors_rejected_total{reason}}, {@code idstream_processors_outcomes_total{outcome}}) and the
 * JVM's and the process's ({@code jvm_*}, {@code process_*}, {@code system_*}); one daemon thread answers requests
 * and picks up Kafka metrics created after start.
 */
public final class MetricsServer implements AutoCloseable {
    /** What {@link PrometheusMeterRegistry#scrape()} writes. */
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    /** How soon a Kafka metric created while running (a task's after a rebalance) reaches the scrape. */
    private static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);
    private static final String KAFKA_METER_PREFIX = "kafka.";
    private static final String IDSTREAM_METER_PREFIX = GuardedProcessor.METRICS_GROUP.replace('-', '.') + ".";

    private final KafkaStreams streams;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "idstream-metrics");
        thread.setDaemon(true);
        return thread;
    });
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    private final KafkaStreamsMetrics kafkaMetrics;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    /** Touched by the metrics thread only. */
    private final Map<MetricName, Meter> idstreamCounters = new HashMap<>();

    private MetricsServer(KafkaStreams streams, InetSocketAddress address) throws IOException {
        this.streams = streams;
        kafkaMetrics = new KafkaStreamsMetrics(streams, List.of(), executor, KAFKA_METRICS_REFRESH);
        try {
            registry.config().meterFilter(MeterFilter.denyNameStartsWith(KAFKA_METER_PREFIX + IDSTREAM_METER_PREFIX));
            kafkaMetrics.bindTo(registry);
            gcMetrics.bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            // The port last: an HttpServer that was never started keeps its port bound even once stopped (its
            // selector, which would release the socket, never runs), so nothing may fail between here and start.
            server = HttpServer.create(address, 16);
            server.setExecutor(executor);
            server.createContext("/metrics", exchange -> respond(exchange, 200, TEXT_FORMAT, scrape()));
            server.createContext("/health", this::health);
            server.start();
        } catch (IOException | RuntimeException e) {
            // A binder that fails, or a port in use, must not leave the metrics thread and the binders running.
            close();
            throw e;
        }
    }

    public static MetricsServer start(KafkaStreams streams, String host, int port) {
        try {
            return new MetricsServer(streams, new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * idstream's sensors as counters under the names and labels dashboards know, {@code idstream_processors_*_total}
     * labelled by reason or outcome and thread (the Kafka binder, which skips them, would prefix {@code kafka_} and add
     * a {@code kafka_version} label). Bound at each scrape, as a sensor is born with its reason's or outcome's first
     * record; a sensor gone with its stream thread takes its counter along.
     */
    private String scrape() {
        Map<MetricName, ? extends Metric> metrics = streams.metrics();
        for (Iterator<Map.Entry<MetricName, Meter>> bound = idstreamCounters.entrySet().iterator(); bound.hasNext(); ) {
            Map.Entry<MetricName, Meter> counter = bound.next();
            if (!metrics.containsKey(counter.getKey())) {
                registry.remove(counter.getValue());
                bound.remove();
            }
        }
        metrics.forEach((name, metric) -> {
            if (name.group().equals(GuardedProcessor.METRICS_GROUP) && !idstreamCounters.containsKey(name)) {
                idstreamCounters.put(name, idstreamCounter(name, metric));
            }
        });
        return registry.scrape();
    }

    private Meter idstreamCounter(MetricName name, Metric sensorCount) {
        List<Tag> labels = name.tags().entrySet().stream()
                .map(tag -> Tag.of(tag.getKey().replace('-', '.'), tag.getValue())).toList();
        return FunctionCounter.builder(IDSTREAM_METER_PREFIX + name.name().replace('-', '.'), sensorCount,
                        count -> ((Number) count.metricValue()).doubleValue())
                .description(name.description()).tags(labels).register(registry);
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

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        kafkaMetrics.close();
        gcMetrics.close();
        executor.shutdownNow();
        registry.close();
    }
}
