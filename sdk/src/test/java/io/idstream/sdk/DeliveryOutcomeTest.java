package io.idstream.sdk;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A delivered outcome, printed or logged, names its request, holder and fields, and never a field's value. */
class DeliveryOutcomeTest {
    @Test
    void aDeliveredOutcomeNamesItsFieldsButNeverTheirValues() {
        DeliveryOutcome.Delivered delivered = new DeliveryOutcome.Delivered("request-1", "alice", "kyc-co",
                "credential-1", "grant-1", Map.of("country", "Zq-7431", "age_over_18", "true"));

        assertThat(delivered.toString()).isEqualTo("Delivered[request=request-1, holder=alice, "
                + "fields=[age_over_18, country]]");
    }
}
