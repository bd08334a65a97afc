package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Identifier shapes: a valid value passes through unchanged; anything else, null included, is refused by name. */
class IdentifiersTest {
    @Test
    void validValuesPassThroughUnchanged() {
        assertThat(Identifiers.requirePrincipalId("consumer id", "exchange-a")).isEqualTo("exchange-a");
        assertThat(Identifiers.requireUuid("grant id", "8d6e1dfc-5a69-43f7-8d98-680905e2ad2f"))
                .isEqualTo("8d6e1dfc-5a69-43f7-8d98-680905e2ad2f");
        assertThat(Identifiers.requireFieldName("age_over_18")).isEqualTo("age_over_18");
    }

    @Test
    void nullIsRefusedByNameNotByAccident() {
        assertThatThrownBy(() -> Identifiers.requireUuid("grant id", null)).isInstanceOf(CryptoException.class)
                .hasMessageStartingWith("grant id '' does not match");
    }

    @Test
    void aLongValueIsQuotedUpToEightyCharacters() {
        String eighty = "x".repeat(80);
        assertThatThrownBy(() -> Identifiers.requireUuid("grant id", eighty))
                .hasMessageStartingWith("grant id '" + eighty + "' does not match");
        assertThatThrownBy(() -> Identifiers.requireUuid("grant id", eighty + "y"))
                .hasMessageStartingWith("grant id '" + eighty + "...' does not match");
    }
}
