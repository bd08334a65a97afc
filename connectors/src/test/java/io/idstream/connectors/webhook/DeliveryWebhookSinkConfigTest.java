package io.idstream.connectors.webhook;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryWebhookSinkConfigTest {
    /** A Standard Webhooks secret: whsec_ and the base64 of a 32-byte key. */
    static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("topics", "idstream.deliveries.exchange-a");
        props.put("webhook.url", "https://exchange-a.example/hooks/idstream");
        props.put("webhook.secret", SECRET);
        props.put("schema.registry.url", "http://127.0.0.1:8081");
        return props;
    }

    @Test
    void defaultsAndValues() {
        DeliveryWebhookSinkConfig config = new DeliveryWebhookSinkConfig(valid());
        assertThat(config.topics).containsExactly("idstream.deliveries.exchange-a");
        assertThat(config.webhookTimeout.toMillis()).isEqualTo(10_000);
        assertThat(config.maxRetries).isEqualTo(10);
        assertThat(config.retryBackoffMs).isEqualTo(1_000);
        assertThat(config.allowPrivateAddresses).isFalse();
        assertThat(config.webhookSecret.value()).isEqualTo(SECRET);
        assertThat(DeliveryWebhookSinkConfig.DEFINITION.configKeys().get(DeliveryWebhookSinkConfig.WEBHOOK_SECRET).type)
                .as("a PASSWORD is what keeps Connect from logging the secret with the connector's config")
                .isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(config.signingSecret).hasToString("whsec_[hidden]");
    }

    @Test
    void backoffDoublesUpToAMinute() {
        DeliveryWebhookSinkConfig config = new DeliveryWebhookSinkConfig(valid());
        assertThat(List.of(1, 2, 3, 7, 8, 20)).extracting(config::backoffMs)
                .containsExactly(1_000L, 2_000L, 4_000L, 60_000L, 60_000L, 60_000L);
    }

    @Test
    void everyKeyIsDocumented() {
        assertThat(DeliveryWebhookSinkConfig.DEFINITION.names()).contains("topics", "webhook.url", "webhook.secret",
                "webhook.timeout.ms", "max.retries", "retry.backoff.ms", "schema.registry.url",
                "webhook.allow.private.addresses");
        DeliveryWebhookSinkConfig.DEFINITION.configKeys().values()
                .forEach(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }

    @Test
    void badValuesNameTheirKeyAndNeverShowTheSecret() {
        assertRefused("webhook.url", "http://exchange-a.example/hook", "loopback address only");
        assertRefused("webhook.url", "ftp://exchange-a.example/hook", "must be https");
        assertRefused("webhook.url", "not a url", "webhook.url");
        assertRefused("webhook.secret", "a shared secret of 16 characters or more", "must be whsec_<base64 key>");
        assertRefused("webhook.secret", "whsec_not-base64-but-long-enough-anyway", "is not standard base64");
        assertRefused("webhook.secret", "whsec_c2hvcnQtc2VjcmV0", "decodes to 12 bytes; at least 24 are needed");
        assertRefused("webhook.timeout.ms", "0", "webhook.timeout.ms");
        assertRefused("max.retries", "-1", "max.retries");
        assertRefused("retry.backoff.ms", "soon", "retry.backoff.ms");
        assertRefused("topics", "", "list at least one delivery topic");

        for (String secret : List.of("a shared secret of 16 characters or more", "whsec_c2hvcnQtc2VjcmV0",
                "whsec_not-base64-but-long-enough-anyway")) {
            Map<String, String> props = valid();
            props.put("webhook.secret", secret);
            assertThatThrownBy(() -> new DeliveryWebhookSinkConfig(props)).as(secret)
                    .hasMessageNotContaining(secret.replace("whsec_", ""));
        }

        Map<String, String> missing = valid();
        missing.remove("webhook.url");
        assertThatThrownBy(() -> new DeliveryWebhookSinkConfig(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("webhook.url");
    }

    @Test
    void errorsAndLogsShowTheUrlWithoutItsLoginPathOrQuery() {
        for (String url : List.of("http://hook-user:hook-password@exchange-a.example/hooks/hook-token?key=hook-key",
                "ftp://hook-user:hook-password@exchange-a.example:2121/hooks/hook-token?key=hook-key",
                "http://10.0.0.7/hooks/hook-token?key=hook-key", "https:/hooks/hook-token?key=hook-key",
                "https://exchange-a.example/hooks/hook-token?key=hook key")) {
            Map<String, String> props = valid();
            props.put("webhook.url", url);
            assertThatThrownBy(() -> new DeliveryWebhookSinkConfig(props)).as(url)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("webhook.url")
                    .hasMessageNotContaining("hook-user").hasMessageNotContaining("hook-password")
                    .hasMessageNotContaining("hook-token").hasMessageNotContaining("hook-key");
        }

        Map<String, String> props = valid();
        props.put("webhook.url", "https://hook-user:hook-password@127.0.0.1:8443/hooks/hook-token?key=hook-key");
        assertThat(new DeliveryWebhookSinkConfig(props).shownWebhookUrl()).isEqualTo("https://127.0.0.1:8443/...");
        props.put("webhook.url", "https://127.0.0.1");
        assertThat(new DeliveryWebhookSinkConfig(props).shownWebhookUrl()).isEqualTo("https://127.0.0.1");
    }

    @Test
    void plainHttpToLoopbackIsAllowed() {
        for (String url : List.of("http://127.0.0.1:9000/hook", "http://localhost/hook", "http://[::1]:9000/h")) {
            Map<String, String> props = valid();
            props.put("webhook.url", url);
            assertThat(new DeliveryWebhookSinkConfig(props).webhookUrl.toString()).isEqualTo(url);
        }
    }

    private static void assertRefused(String key, String value, String message) {
        Map<String, String> props = valid();
        props.put(key, value);
        assertThatThrownBy(() -> new DeliveryWebhookSinkConfig(props)).as(key + "=" + value)
                .isInstanceOf(ConfigException.class).hasMessageContaining(message).hasMessageContaining(key);
    }
}
