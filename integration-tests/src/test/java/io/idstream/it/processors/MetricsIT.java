package io.idstream.it.processors;

import io.idstream.avro.AccessRequest;
import io.idstream.crypto.Credentials;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import io.idstream.processors.Party;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.idstream.processors.TopologyHarness.credentialDeliveries;
import static io.idstream.processors.TopologyHarness.notices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's view: after a rejection and a delivery, a Prometheus scrape shows idstream's counters under the names
 * and labels dashboards know, Kafka Streams' metrics and the JVM's; the health endpoint says UP.
 */
@Timeout(180)
class MetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> FIELDS = List.of("country");

    @TempDir
    Path dir;

    @Test
    void scrapeCountsRejectionsAndOutcomesBesideStreamsAndJvmMetrics() throws Exception {
        Map<String, Object> settings = new HashMap<>(TestPlatforms.settings(dir));
        settings.put(PlatformConfig.PROCESSORS_ENABLED, true);
        settings.put(PlatformConfig.METRICS_PORT, 0);
        try (Platform platform = Platform.start(new PlatformConfig(settings));
             FlowClients clients = new FlowClients(platform)) {
            String base = "http://127.0.0.1:" + platform.processors().metricsPort();
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> health = get(http, base + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");

            sendNotAvro(platform);
            deliverOnce(clients);

            String metrics = Awaitility.await("the scrape shows the rejection and the delivery").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> scrape(http, base), scrape -> scrape.contains("reason=\"not-avro\"")
                            && scrape.contains("outcome=\"DELIVERED\""));
            assertThat(metrics).containsPattern(
                    "(?m)^idstream_processors_rejected_total\\{reason=\"not-avro\",thread_id=\"[^\"]+\"\\} 1\\.0$");
            assertThat(metrics).containsPattern(
                    "(?m)^idstream_processors_outcomes_total\\{outcome=\"DELIVERED\",thread_id=\"[^\"]+\"\\} 1\\.0$");
            assertThat(metrics).doesNotContain("kafka_idstream_");
            assertThat(metrics).containsPattern("(?m)^kafka_stream_thread_process_total\\{.*thread_id=\".+\\} ");
            assertThat(metrics).containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\",.*\\} ");
            assertThat(metrics).containsPattern("(?m)^process_uptime_seconds ");
        }
    }

    private static void sendNotAvro(Platform platform) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(platform.catalog().accessRequests().name(), "alice",
                    new byte[] {7, 7, 7})).get();
        }
    }

    /**
     * One request answered by the holder's approval. The parties reach the processors asynchronously, so requests are
     * sent until one is answered PENDING; then the credential is issued and that request approved.
     */
    private static void deliverOnce(FlowClients clients) throws Exception {
        Party issuer = clients.register("kyc-co", "issuer");
        clients.accredit(issuer);
        Party alice = clients.register("alice", "holder");
        Party exchange = clients.register("exchange-a", "consumer");
        AccessRequest pending = null;
        while (pending == null) {
            AccessRequest request = clients.request(exchange, alice, FIELDS);
            boolean answered = notices(clients.awaitDeliveries(exchange, events -> notices(events).stream()
                    .anyMatch(n -> n.getRequestId().equals(request.getRequestId())), Duration.ofSeconds(10)))
                    .stream().anyMatch(n -> n.getRequestId().equals(request.getRequestId()));
            pending = answered ? request : null;
        }
        Credentials.IssuedCredential credential = clients.issue(issuer, alice, Map.of("country", "DE"));
        clients.awaitStored("alice", credential.header().credentialId(), WAIT);
        clients.grant(alice, exchange, credential, pending.getRequestId(), FIELDS, 1);
        assertThat(credentialDeliveries(clients.awaitDeliveries(exchange,
                events -> !credentialDeliveries(events).isEmpty(), WAIT))).hasSize(1);
    }

    /** One Prometheus scrape, which must be answered 200 in the text format whatever it holds yet. */
    private static String scrape(HttpClient http, String base) throws IOException, InterruptedException {
        HttpResponse<String> response = get(http, base + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        return response.body();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
