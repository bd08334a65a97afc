package io.idstream.sdk.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {
    static final String SECRET = "whsec_test_secret";
    static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    static final Instant AT = Instant.ofEpochSecond(1_700_000_000L);

    @Test
    void headerIsHmacSha256OverTimeDotBody() {
        // Pinned with Python: hmac.new(b'whsec_test_secret', b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        assertThat(WebhookSignature.header(SECRET, AT.getEpochSecond(), BODY))
                .isEqualTo("t=1700000000,v1=aecbc681fe3d2604c08ff8e880a0988d997a12367fcf9545e6a3b90c1dfc04b7");
    }

    @Test
    void acceptsItsOwnSignatureWithinTheWindowAndAnyOfSeveralSecrets() {
        String header = WebhookSignature.header(SECRET, AT.getEpochSecond(), BODY);
        assertThatCode(() -> WebhookSignature.verify(header, BODY, SECRET, Duration.ofMinutes(5),
                AT.plusSeconds(299))).doesNotThrowAnyException();
        String rotating = "t=1700000000,v1=" + "00".repeat(32) + "," + header.substring(header.indexOf("v1="));
        assertThatCode(() -> WebhookSignature.verify(rotating, BODY, SECRET, Duration.ofMinutes(5), AT))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesTamperingReplayAndGarbage() {
        String header = WebhookSignature.header(SECRET, AT.getEpochSecond(), BODY);
        Duration window = Duration.ofMinutes(5);
        assertThatThrownBy(() -> WebhookSignature.verify(header, "{\"a\":2}".getBytes(StandardCharsets.UTF_8),
                SECRET, window, AT)).isInstanceOf(WebhookRejectedException.class).hasMessageContaining("not match");
        assertThatThrownBy(() -> WebhookSignature.verify(header, BODY, "another secret", window, AT))
                .hasMessageContaining("not match");
        assertThatThrownBy(() -> WebhookSignature.verify(header, BODY, SECRET, window, AT.plusSeconds(301)))
                .hasMessageContaining("outside the 300 s tolerance");
        assertThatThrownBy(() -> WebhookSignature.verify(header.replace("t=1700000000", "t=1700000001"), BODY,
                SECRET, window, AT)).hasMessageContaining("not match");
        assertThatThrownBy(() -> WebhookSignature.verify(null, BODY, SECRET, window, AT))
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> WebhookSignature.verify("t=x,v1=zz", BODY, SECRET, window, AT))
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> WebhookSignature.verify("t=1700000000", BODY, SECRET, window, AT))
                .hasMessageContaining("needs t= and v1=");
    }
}
