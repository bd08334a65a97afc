package io.idstream.crypto;

import io.idstream.crypto.Statements.Commitment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a log line or an exception would show of a field: its name (and a length), never its value or its bytes. */
class PrintedFormsTest {
    final DeliveryFixture fixture = new DeliveryFixture();

    @Test
    void fieldsPrintTheirNamesOnly() {
        Credentials.SealedField country = fixture.credential.fields().stream()
                .filter(f -> f.name().equals("country")).findFirst().orElseThrow();
        assertThat(country.toString()).isEqualTo("SealedField[country, " + country.ciphertext().length + " bytes]");
        assertThat(new Commitment("country", country.commitment()).toString()).isEqualTo("Commitment[country]");
        assertThat(new Delivery.DisclosedField("country", country.ciphertext()).toString())
                .isEqualTo("DisclosedField[country]");
    }
}
