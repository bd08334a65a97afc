package io.idstream.crypto;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A holder's grant refuses terms outside the protocol's ranges before anything is signed, and a consumer's parse of a
 * key package refuses every malformed shape with the reason, not with whatever the bytes happen to provoke.
 */
class GrantsTest {
    final DeliveryFixture fixture = new DeliveryFixture();

    @Test
    void termsOutsideTheProtocolAreRefusedBeforeSigning() {
        assertRefused(terms("not-a-uuid", 5, List.of("country")), "request id 'not-a-uuid' does not match");
        assertRefused(terms(fixture.requestId, -1, List.of("country")), "maxUses -1 is out of range");
        assertRefused(terms(fixture.requestId, Integer.MAX_VALUE + 1L, List.of("country")),
                "maxUses 2147483648 is out of range");
        assertRefused(terms(fixture.requestId, 5, List.of()), "a grant names at least one field");
        assertRefused(terms(fixture.requestId, 5, List.of("country", "Country")), "field name 'Country'");
    }

    @Test
    void theEdgesOfTheRangesAreGranted() {
        assertThat(grant(terms(fixture.requestId, 0, List.of("country"))).statement().maxUses()).isZero();
        assertThat(grant(terms(fixture.requestId, Integer.MAX_VALUE, List.of("country"))).statement().maxUses())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(grant(terms("", 1, List.of("country"))).statement().requestId()).isEmpty();
    }

    @Test
    void aFieldKeyOfAnotherLengthIsNeverPackaged() {
        assertThatThrownBy(() -> Grants.keyPackage(Map.of("country", new byte[31])))
                .isInstanceOf(CryptoException.class).hasMessageContaining("field key of 'country' is not 32 bytes");
    }

    @Test
    void aOneLetterNameIsAValidEntry() {
        byte[] key = new byte[32];
        key[0] = 7;
        Map<String, byte[]> parsed = Grants.parseKeyPackage(Grants.keyPackage(Map.of("a", key)));
        assertThat(parsed).containsOnlyKeys("a");
        assertThat(parsed.get("a")).isEqualTo(key);
    }

    @Test
    void aCountBeyondWhatTheBytesCanHoldIsALie() {
        // One genuine entry of 37 bytes, claiming two.
        assertMalformed(pkg(2, entry("a", 1)), "key package claims 2 fields in 41 bytes");
    }

    @Test
    void malformedNameLengthsAreRefusedAsSuch() {
        assertMalformed(ByteBuffer.allocate(4 + 4 + 33).putInt(1).putInt(0).array(),
                "malformed field name length");
        // Longer than what remains: refused before any read.
        assertMalformed(ByteBuffer.allocate(4 + 4 + 33).putInt(1).putInt(34).array(),
                "malformed field name length");
        // Exactly what remains: the name fits, the key does not.
        assertMalformed(ByteBuffer.allocate(4 + 4 + 37).putInt(1).putInt(37).array(),
                "key package is truncated or malformed");
    }

    @Test
    void entriesOutOfOrderOrRepeatedAreRefused() {
        assertMalformed(pkg(2, entry("b", 1), entry("a", 2)), "not in ascending name order");
        assertMalformed(pkg(2, entry("a", 1), entry("a", 2)), "not in ascending name order");
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] genuine = Grants.keyPackage(Map.of("a", new byte[32]));
        byte[] longer = ByteBuffer.allocate(genuine.length + 1).put(genuine).array();
        assertMalformed(longer, "key package has 1 trailing bytes");
    }

    private Grants.Terms terms(String requestId, long maxUses, List<String> fields) {
        return new Grants.Terms(UUID.randomUUID().toString(), "exchange-a", requestId, "onboarding",
                1_700_000_000_000L, 1_700_000_000_000L, 1_800_000_000_000L, maxUses, fields);
    }

    private Grants.SignedGrant grant(Grants.Terms terms) {
        return Grants.grant(fixture.holder, fixture.holderEncryption, fixture.header, fixture.credential.holderKey(),
                terms, fixture.consumerEncryption.publicKey());
    }

    private void assertRefused(Grants.Terms terms, String message) {
        assertThatThrownBy(() -> grant(terms)).isInstanceOf(CryptoException.class).hasMessageContaining(message);
    }

    private static void assertMalformed(byte[] plaintext, String message) {
        assertThatThrownBy(() -> Grants.parseKeyPackage(plaintext)).isInstanceOf(CryptoException.class)
                .hasMessageContaining(message);
    }

    private static byte[] entry(String name, int keyByte) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[32];
        key[0] = (byte) keyByte;
        return ByteBuffer.allocate(4 + nameBytes.length + 32).putInt(nameBytes.length).put(nameBytes).put(key)
                .array();
    }

    private static byte[] pkg(int count, byte[]... entries) {
        int length = 4;
        for (byte[] e : entries) {
            length += e.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length).putInt(count);
        for (byte[] e : entries) {
            out.put(e);
        }
        return out.array();
    }
}
