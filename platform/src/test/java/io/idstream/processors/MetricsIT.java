package io.idstream.processors;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An operator's view: Prometheus metrics count rejections by reason, and the health endpoint says UP. */
@Timeout(120)
class MetricsIT {
    @TempDir
    Path dir;

    @Test
    void rejectionsAreCountedByReasonAndHealthIsUp() throws Exception {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dir));
        settings.put(PlatformConfig.PROCESSORS_ENABLED, true);
        settings.put(PlatformConfig.METRICS_PORT, 0);
        try (Platform platform = Platform.start(new PlatformConfig(settings))) {
            String base = "http://127.0.0.1:" + platform.processors().metricsPort();
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");

            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(platform.catalog().accessRequests().name(), "alice",
                        new byte[] {7, 7, 7})).get();
            }
            String metrics = "";
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!metrics.contains("reason=\"not-avro\"") && System.nanoTime() < deadline) {
                Thread.sleep(250);
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
                metrics = response.body();
            }
            assertThat(metrics).containsPattern(
                    "idstream_processors_rejected_total\\{reason=\"not-avro\",thread_id=\"[^\"]+\"\\} 1\\.0");
            assertThat(metrics).contains("stream_thread_metrics_process_total");
        }
    }
}
