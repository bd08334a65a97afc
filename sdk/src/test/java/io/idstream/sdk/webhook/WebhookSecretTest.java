package io.idstream.sdk.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class WebhookSecretTest {
    @Test
    void theKeyIsTheBase64AfterThePrefix() {
        WebhookSecret secret = WebhookSecret.parse(WebhookSignatureTest.SECRET);
        byte[] expected = new byte[32];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) i;
        }
        assertThat(secret.key()).containsExactly(expected);
        assertThat(secret).hasToString("whsec_[hidden]");
    }

    @Test
    void refusalsSayWhatIsWrongAndNeverShowTheSecret() {
        assertRefused("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "starting with whsec_");
        assertRefused("whsec_MfKQ9r8GKYqrTwjUPD8I-PZIo2LaLaSw", "not standard base64");
        assertRefused("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La", "decodes to 21 bytes; at least 24 are needed");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_")).hasMessageContaining("decodes to 0 bytes");
        assertThatThrownBy(() -> WebhookSecret.parse(null)).hasMessageContaining("starting with whsec_");
    }

    private static void assertRefused(String secret, String reason) {
        assertThatThrownBy(() -> WebhookSecret.parse(secret)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining(secret.replace(WebhookSecret.PREFIX, ""));
    }
}
