package io.idstream.sdk.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.avro.DeliveryEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our signature against the Standard Webhooks reference library (npm {@code standardwebhooks}, pinned in
 * src/test/js/package-lock.json, installed by Maven's {@code npm ci}): it verifies what the sink signs, and our
 * receiver verifies what it signs. Runs {@code node src/test/js/interop.mjs}; without node or the library it reports
 * itself skipped, saying which is missing.
 */
@Timeout(120)
class StandardWebhooksInteropTest {
    static final Path JS = Path.of("src", "test", "js");
    static final ObjectMapper JSON = new ObjectMapper();

    final WebhookPayload payload = new WebhookPayload(WebhookPayloadTest.TOPIC, 2, 4711L, "alice",
            new DeliveryEvent(WebhookPayloadTest.delivery()));
    final byte[] body = payload.toJson();

    @BeforeEach
    void nodeAndTheLibraryAreThere() throws InterruptedException {
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            Assumptions.assumeTrue(version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0,
                    "node --version failed");
        } catch (IOException e) {
            Assumptions.abort("node is not on the PATH (" + e.getMessage() + "); install Node.js 18 or later");
        }
        Assumptions.assumeTrue(Files.isDirectory(JS.resolve("node_modules/standardwebhooks")),
                "the standardwebhooks package is not installed (cd sdk/src/test/js && npm ci); Maven's npm ci step "
                        + "installs it unless tests are skipped");
    }

    @Test
    void theReferenceLibraryVerifiesWhatTheSinkSigns() throws Exception {
        WebhookHeaders signed = WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), nowSeconds(),
                body);

        JsonNode verdict = node(body, "verify", WebhookSignatureTest.SECRET, signed.id(), signed.timestamp(),
                signed.signature());

        assertThat(verdict.toString()).isEqualTo("{\"verified\":true}");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("alice", "mallory")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(node(tampered, "verify", WebhookSignatureTest.SECRET, signed.id(), signed.timestamp(),
                signed.signature()).path("error").asText()).as("the library does check").isEqualTo(
                "No matching signature found");
    }

    @Test
    void ourReceiverVerifiesWhatTheReferenceLibrarySigns() throws Exception {
        long now = nowSeconds();
        String signature = node(body, "sign", WebhookSignatureTest.SECRET, payload.webhookId(),
                Long.toString(now)).path("signature").asText();
        WebhookHeaders headers = new WebhookHeaders(payload.webhookId(), Long.toString(now), signature);

        assertThat(new WebhookReceiver(WebhookSignatureTest.SECRET).receive(headers, body)).isEqualTo(payload);
        assertThat(signature).as("byte for byte the same signature")
                .isEqualTo(WebhookSignature.sign(WebhookSignatureTest.KEY, payload.webhookId(), now, body).signature());
        assertThatThrownBy(() -> new WebhookReceiver("whsec_" + "B".repeat(32)).receive(headers, body))
                .isInstanceOf(WebhookRejectedException.class).hasMessageStartingWith("bad signature");
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** Runs the script with these arguments and the body on stdin; its one line of JSON. */
    private static JsonNode node(byte[] stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "interop.mjs"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(JS.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node ended: " + output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return JSON.readTree(output);
    }
}
