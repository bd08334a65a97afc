package io.idstream.it.attacks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.platform.AdminSecret;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.idstream.it.attacks.SecurePlatformLogins.basic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: the Connect worker of a secure platform runs its connectors with the operator's Kafka login, and its REST
 * API answered anyone who reached its port, so anyone could run a connector, or read every connector's config, as
 * the operator. Every request must log in as the operator.
 */
@Timeout(180)
class OpenConnectRestAttackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSUMER = "exchange-a";
    private static final String CONSUMER_PASSWORD = "exchange-a-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    static Platform platform;
    static String adminPassword;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        platform = SecurePlatformLogins.start(dir.resolve("data"),
                Map.of(PlatformConfig.CONNECT_ENABLED, true, PlatformConfig.CONNECT_PORT, 0));
        adminPassword = SecurePlatformLogins.adminPassword(dir.resolve("data"));
        SecurePlatformLogins.addKafkaUser(platform, CONSUMER, CONSUMER_PASSWORD);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(SecurePlatformLogins.trustingThePlatform(dir.resolve("data"))).build();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void anAnonymousClientIsRefused() throws Exception {
        for (HttpResponse<String> anonymous : List.of(send(null, "GET", "connectors", null),
                send(null, "POST", "connectors", connector()),
                send(null, "GET", "connector-plugins", null))) {
            assertThat(anonymous.statusCode()).as(anonymous.request() + " " + anonymous.body()).isEqualTo(401);
            assertThat(JSON.readTree(anonymous.body()).path("message").asText()).isEqualTo("Unauthorized");
        }
        assertThat(send(asAdmin(), "GET", "connectors", null).body()).as("nothing was created").isEqualTo("[]");
    }

    @Test
    void aPrincipalOtherThanTheOperatorIsRefused() throws Exception {
        HttpResponse<String> consumer = send(basic(CONSUMER, CONSUMER_PASSWORD), "GET", "connectors", null);

        assertThat(consumer.statusCode()).as(consumer.body()).isEqualTo(403);
        assertThat(JSON.readTree(consumer.body()).path("message").asText())
                .isEqualTo("User " + CONSUMER + " may not use the Connect REST API; only " + AdminSecret.ADMIN_USER
                        + " may");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        HttpResponse<String> guessed = send(basic(AdminSecret.ADMIN_USER, "guessed"), "GET", "connectors", null);

        assertThat(guessed.statusCode()).isEqualTo(401);
    }

    @Test
    void theOperatorIsServed() throws Exception {
        HttpResponse<String> plugins = send(asAdmin(), "GET", "connector-plugins", null);

        assertThat(plugins.statusCode()).as(plugins.body()).isEqualTo(200);
        List<String> classes = JSON.readTree(plugins.body()).findValuesAsText("class");
        assertThat(classes).contains("io.idstream.connectors.webhook.DeliveryWebhookSinkConnector");
    }

    private static String connector() throws Exception {
        return JSON.writeValueAsString(Map.of("name", "attacker-" + UUID.randomUUID(), "config", Map.of(
                "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector", "topics", "idstream.audit",
                "file", dir.resolve("stolen.txt").toString())));
    }

    private static HttpResponse<String> send(String authorization, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(platform.connectUrl().resolve(path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private static String asAdmin() {
        return basic(AdminSecret.ADMIN_USER, adminPassword);
    }
}
