package io.idstream.crypto.http;

import io.idstream.crypto.http.MessageSignatures.SignatureRefused;
import io.idstream.crypto.http.MessageSignaturesTest.Request;
import io.idstream.crypto.http.StructuredFields.InnerList;
import io.idstream.crypto.http.StructuredFields.Item;
import io.idstream.crypto.http.StructuredFields.MalformedField;
import io.idstream.crypto.http.StructuredFields.Member;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.BAD_SIGNATURE;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.DIGEST_MISMATCH;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.MALFORMED_SIGNATURE;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.MISSING_SIGNATURE;
import static io.idstream.crypto.http.MessageSignaturesTest.BODY;
import static io.idstream.crypto.http.MessageSignaturesTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hostile signature headers: truncated, mutated and random ones are refused with a {@link SignatureRefused}, and
 * nothing else ever leaves {@link MessageSignatures#verify} or {@link MessageSignatures#keyIdOf}.
 */
class MessageSignaturesFuzzTest {
    private static final long SEED = 16_9421L;
    private static final List<String> PIECES = List.of("sig1", "sig2", "=", "(", ")", "\"", "\"@method\"",
            "\"@target-uri\"", "\"content-digest\"", " ", ";", "created", "nonce", "keyid", "alg", "\"ed25519\"",
            "\"alice\"", "1700000000", "-", ".", "5", "99999999999999999999", ":", "AAAA", "=", "==", "!", ",", "\\",
            "?1", "?", "*", "\t", "é", "\n", "\u0000", "x", "A", "/", "+");
    private static final Set<String> HOSTILE_CODES = Set.of(MISSING_SIGNATURE, MALFORMED_SIGNATURE, BAD_SIGNATURE);

    private final Random random = new Random(SEED);
    private final Request sent = post(BODY);

    @Test
    void everyTruncatedSignatureHeaderIsMalformed() {
        for (String header : List.of("Signature-Input", "Signature")) {
            String value = sent.headers().get(header);
            for (int length = 0; length < value.length(); length++) {
                Request truncated = sent.with(header, value.substring(0, length));
                assertThat(refusal(truncated)).as("%s cut to %d characters", header, length)
                        .isEqualTo(MALFORMED_SIGNATURE);
            }
        }
        String digest = sent.headers().get("Content-Digest");
        for (int length = 0; length < digest.length(); length++) {
            assertThat(refusal(sent.with("Content-Digest", digest.substring(0, length))))
                    .as("Content-Digest cut to %d characters", length).isIn(DIGEST_MISMATCH, MALFORMED_SIGNATURE);
        }
        assertThat(refusal(sent.with("Content-Digest", "sha-256"))).as("a dictionary without a sha-256 digest")
                .isEqualTo(DIGEST_MISMATCH);
        assertThat(refusal(sent.with("Content-Digest", digest.substring(0, 20)))).as("no dictionary")
                .isEqualTo(MALFORMED_SIGNATURE);
    }

    @Test
    void mutatedSignatureHeadersAreRefused() {
        for (int i = 0; i < 5_000; i++) {
            String header = random.nextBoolean() ? "Signature-Input" : "Signature";
            StringBuilder value = new StringBuilder(sent.headers().get(header));
            int at = random.nextInt(value.length());
            switch (random.nextInt(3)) {
                case 0 -> value.deleteCharAt(at);
                case 1 -> value.insert(at, piece());
                default -> value.replace(at, at + 1, piece());
            }
            Request mutated = sent.with(header, value.toString());
            String code = outcome(mutated);
            if (code == null) {
                // RFC 8941 lets some changes keep the meaning (spaces between items, pad bits of base64): only those
                // may pass.
                assertThat(canonical(value.toString())).as("accepted %s: %s", header, value)
                        .isEqualTo(canonical(sent.headers().get(header)));
            }
        }
    }

    @Test
    void randomSignatureHeadersAreRefusedAsHostileInput() {
        for (int i = 0; i < 20_000; i++) {
            String header = random.nextBoolean() ? "Signature-Input" : "Signature";
            StringBuilder value = new StringBuilder();
            for (int pieces = 1 + random.nextInt(30); pieces > 0; pieces--) {
                value.append(piece());
            }
            Request hostile = sent.with(header, value.toString());
            assertThat(refusal(hostile)).as("%s: %s", header, value).isIn(HOSTILE_CODES);
            MessageSignatures.keyIdOf(hostile.headers()::get);
        }
    }

    private String piece() {
        return PIECES.get(random.nextInt(PIECES.size()));
    }

    /** The refusal's code; fails the test on acceptance and on any other exception, naming it. */
    private static String refusal(Request request) {
        String code = outcome(request);
        return code != null ? code : fail("accepted: " + request.headers());
    }

    /** The refusal's code, or null when accepted; fails the test on any other exception, naming it. */
    private static String outcome(Request request) {
        try {
            MessageSignaturesTest.verify(request);
            return null;
        } catch (SignatureRefused refused) {
            return refused.code();
        } catch (RuntimeException e) {
            throw new AssertionError("verify threw " + e + " for " + request.headers(), e);
        }
    }

    /** The sig1 member of a header in canonical form, or null when the header is malformed or has none. */
    private static String canonical(String header) {
        try {
            Member member = StructuredFieldParser.parseDictionary(header).get(MessageSignatures.LABEL);
            return member instanceof InnerList list ? StructuredFields.serialize(list)
                    : member instanceof Item item ? StructuredFields.serialize(item) : null;
        } catch (MalformedField e) {
            return null;
        }
    }
}
