package io.idstream.sdk.webhook;

import io.idstream.avro.ConsumerNotice;
import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DisclosedField;
import io.idstream.avro.FieldCommitment;
import io.idstream.avro.GrantTerms;
import io.idstream.avro.NoticeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookPayloadTest {
    static final String TOPIC = "idstream.deliveries.exchange-a";

    @Test
    void deliveryRoundTripsThroughJsonWithBytesAsBase64() {
        DeliveryEvent event = new DeliveryEvent(delivery());
        byte[] json = new WebhookPayload(TOPIC, 3, 42L, "alice", event).toJson();
        String text = new String(json, StandardCharsets.UTF_8);

        assertThat(text).startsWith("{\"version\":\"idstream/v1/webhook\",\"id\":\"" + TOPIC + "/3/42\"")
                .contains("\"event\":{\"CredentialDelivery\":{\"requestId\":\"r-1\"")
                .contains("{\"name\":\"country\",\"ciphertext\":\"AQID\"}");
        WebhookPayload back = WebhookPayload.fromJson(json);
        assertThat(back.event()).isEqualTo(event);
        assertThat(back.id()).isEqualTo(TOPIC + "/3/42");
        assertThat(back.key()).isEqualTo("alice");
    }

    @Test
    void webhookIdIsTheIdWithoutDotsAndUrlDecodesBackToIt() {
        WebhookPayload payload = new WebhookPayload(TOPIC, 3, 42L, "alice", new DeliveryEvent(delivery()));
        assertThat(payload.webhookId()).isEqualTo("idstream%2Edeliveries%2Eexchange-a/3/42");
        assertThat(URLDecoder.decode(payload.webhookId(), StandardCharsets.UTF_8)).isEqualTo(payload.id());
        WebhookPayload odd = new WebhookPayload("a%2E.b", 0, 1L, "x", payload.event());
        assertThat(odd.webhookId()).isEqualTo("a%252E%2Eb/0/1");
        assertThat(URLDecoder.decode(odd.webhookId(), StandardCharsets.UTF_8)).isEqualTo(odd.id());
    }

    @Test
    void noticeRoundTrips() {
        DeliveryEvent event = new DeliveryEvent(new ConsumerNotice(NoticeKind.REVOKED, "exchange-a", "alice", "",
                "g-1", "c-1", "revoked by the holder", 5L, null));
        String text = new String(new WebhookPayload(TOPIC, 0, 1L, "alice", event).toJson(), StandardCharsets.UTF_8);
        assertThat(text).contains("\"ConsumerNotice\":{\"kind\":\"REVOKED\"");
        assertThat(WebhookPayload.fromJson(text.getBytes(StandardCharsets.UTF_8)).event()).isEqualTo(event);
    }

    @Test
    void bodiesThatAreNoJsonObjectNameTheProblem() {
        assertThatThrownBy(() -> parse("not json")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("not a JSON object");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            idstream/v1/webhook | v0 | version must be idstream/v1/webhook
            "requestId":"r-1", | `` | body.event.CredentialDelivery.requestId is missing
            "AQID" | "***" | body.event.CredentialDelivery.disclosed[0].ciphertext is not base64
            "maxUses":5 | "maxUses":"5" | maxUses must be a 32-bit integer
            CredentialDelivery | Something | 'Something' is none of the union's types
            "deliveredAt":9 | "deliveredAt":9,"extra":1 | extra is not a field of CredentialDelivery
            """)
    void malformedBodiesNameTheProblem(String wellFormed, String malformed, String problem) {
        String good = new String(new WebhookPayload(TOPIC, 0, 1L, "alice", new DeliveryEvent(delivery())).toJson(),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parse(good.replace(wellFormed, malformed))).hasMessageContaining(problem);
    }

    private static WebhookPayload parse(String body) {
        return WebhookPayload.fromJson(body.getBytes(StandardCharsets.UTF_8));
    }

    static CredentialDelivery delivery() {
        return new CredentialDelivery("r-1", "exchange-a", "alice", "kyc-co", "c-1", "kyc", 1L, 0L,
                List.of(new FieldCommitment("country", ByteBuffer.wrap(new byte[32]))),
                List.of(new DisclosedField("country", ByteBuffer.wrap(new byte[] {1, 2, 3}))),
                ByteBuffer.wrap(new byte[64]),
                new GrantTerms("g-1", "r-1", "onboarding", 0L, List.of("country"), 0L, 0L, 5,
                        ByteBuffer.wrap(new byte[32]), ByteBuffer.wrap(new byte[48]), ByteBuffer.wrap(new byte[64])),
                9L);
    }
}
