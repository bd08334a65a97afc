package io.idstream.sdk.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class WebhookSignatureTest {
    /** The key is the bytes 0, 1, ..., 31. */
    static final String SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final WebhookSecret KEY = WebhookSecret.parse(SECRET);
    static final String ID = "idstream%2Edeliveries%2Eexchange-a/0/42";
    static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    static final Instant AT = Instant.ofEpochSecond(1_700_000_000L);
    static final Duration WINDOW = Duration.ofMinutes(5);

    @Test
    void signatureIsTheSpecificationsOwnTestVector() {
        // The "sign function works" vector of the reference libraries (libraries/javascript/src/webhook.test.ts and
        // libraries/java/.../WebhookTest.java in github.com/standard-webhooks/standard-webhooks).
        WebhookHeaders headers = WebhookSignature.sign(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertThat(headers.signature()).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(headers.id()).isEqualTo("msg_p5jXN8AQM9LWM0D4loKWxJek");
        assertThat(headers.timestamp()).isEqualTo("1614265330");
    }

    @Test
    void signatureIsBase64HmacSha256OverIdDotTimeDotBody() {
        // Pinned with Python: base64.b64encode(hmac.new(bytes(range(32)),
        //   b'idstream%2Edeliveries%2Eexchange-a/0/42.1700000000.{"a":1}', hashlib.sha256).digest())
        assertThat(WebhookSignature.sign(KEY, ID, AT.getEpochSecond(), BODY))
                .isEqualTo(new WebhookHeaders(ID, "1700000000", "v1,W0pjoDIvGLukcdtx36agepPyBewCybXe5cuniEuqbtw="));
    }

    @Test
    void anIdWithADotIsNeverSigned() {
        assertThatThrownBy(() -> WebhookSignature.sign(KEY, "idstream.deliveries/0/1", 1L, BODY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without '.'");
    }

    @Test
    void acceptsItsOwnSignatureWithinTheWindowEitherSideAndAnyOfSeveralSignatures() {
        WebhookHeaders headers = WebhookSignature.sign(KEY, ID, AT.getEpochSecond(), BODY);
        assertThatCode(() -> verify(headers, BODY, AT.plusSeconds(300))).doesNotThrowAnyException();
        assertThatCode(() -> verify(headers, BODY, AT.minusSeconds(300))).doesNotThrowAnyException();
        WebhookHeaders rotating = new WebhookHeaders(ID, headers.timestamp(), "v1," + "A".repeat(43) + "= "
                + "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== "
                + headers.signature());
        assertThatCode(() -> verify(rotating, BODY, AT)).doesNotThrowAnyException();
    }

    @Test
    void refusesTamperingWithBodyIdTimeOrSecret() {
        WebhookHeaders headers = WebhookSignature.sign(KEY, ID, AT.getEpochSecond(), BODY);
        assertThatThrownBy(() -> verify(headers, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), AT))
                .isInstanceOf(WebhookRejectedException.class).hasMessageStartingWith("bad signature");
        assertThatThrownBy(() -> WebhookSignature.verify(headers, BODY,
                WebhookSecret.parse("whsec_" + "B".repeat(32)), WINDOW, AT)).hasMessageStartingWith("bad signature");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID.replace("42", "43"), headers.timestamp(),
                headers.signature()), BODY, AT)).hasMessageStartingWith("bad signature");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID, "1700000001", headers.signature()), BODY, AT))
                .hasMessageStartingWith("bad signature");
        String flipped = headers.signature().replace("W0pj", "W0pk");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID, headers.timestamp(), flipped), BODY, AT))
                .hasMessageStartingWith("bad signature");
    }

    @Test
    void refusesATimeOutsideTheWindowAsTooOldOrTooNew() {
        WebhookHeaders headers = WebhookSignature.sign(KEY, ID, AT.getEpochSecond(), BODY);
        assertThatThrownBy(() -> verify(headers, BODY, AT.plusSeconds(301))).isInstanceOf(
                WebhookRejectedException.class).hasMessage("the webhook-timestamp is too old: 301 s before now, "
                + "beyond the 300 s tolerance");
        assertThatThrownBy(() -> verify(headers, BODY, AT.minusSeconds(301))).hasMessage(
                "the webhook-timestamp is too new: 301 s after now, beyond the 300 s tolerance");
    }

    @Test
    void refusesMissingAndMalformedHeadersNamingThem() {
        WebhookHeaders good = WebhookSignature.sign(KEY, ID, AT.getEpochSecond(), BODY);
        assertThatThrownBy(() -> verify(new WebhookHeaders(null, good.timestamp(), good.signature()), BODY, AT))
                .isInstanceOf(WebhookRejectedException.class).hasMessage("the webhook-id header is missing");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID, " ", good.signature()), BODY, AT))
                .hasMessage("the webhook-timestamp header is missing");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID, good.timestamp(), null), BODY, AT))
                .hasMessage("the webhook-signature header is missing");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID, "soon", good.signature()), BODY, AT))
                .hasMessageContaining("webhook-timestamp header is malformed");
        assertThatThrownBy(() -> verify(new WebhookHeaders("a.b", good.timestamp(), good.signature()), BODY, AT))
                .hasMessageContaining("webhook-id header is malformed: it contains '.'");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID, good.timestamp(), "invalid_signature"), BODY, AT))
                .hasMessageContaining("webhook-signature header is malformed");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID, good.timestamp(), "v1,***"), BODY, AT))
                .hasMessageContaining("a v1 signature is not base64");
        assertThatThrownBy(() -> verify(new WebhookHeaders(ID, good.timestamp(),
                good.signature().replace("v1,", "v2,")), BODY, AT)).hasMessageContaining("has no v1 signature");
    }

    private static void verify(WebhookHeaders headers, byte[] body, Instant now) {
        WebhookSignature.verify(headers, body, KEY, WINDOW, now);
    }
}
