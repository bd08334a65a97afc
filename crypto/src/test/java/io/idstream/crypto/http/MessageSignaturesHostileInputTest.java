package io.idstream.crypto.http;

import io.idstream.crypto.http.MessageSignatures.SignatureRefused;
import io.idstream.crypto.http.MessageSignaturesTest.Request;
import io.idstream.crypto.http.StructuredFields.ByteSequence;
import io.idstream.crypto.http.StructuredFields.InnerList;
import io.idstream.crypto.http.StructuredFields.Item;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.DIGEST_MISMATCH;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.MALFORMED_SIGNATURE;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.STALE_SIGNATURE;
import static io.idstream.crypto.http.MessageSignaturesTest.ALICE;
import static io.idstream.crypto.http.MessageSignaturesTest.BODY;
import static io.idstream.crypto.http.MessageSignaturesTest.DECISIONS;
import static io.idstream.crypto.http.MessageSignaturesTest.INBOX;
import static io.idstream.crypto.http.MessageSignaturesTest.NOW;
import static io.idstream.crypto.http.MessageSignaturesTest.WINDOW;
import static io.idstream.crypto.http.MessageSignaturesTest.get;
import static io.idstream.crypto.http.MessageSignaturesTest.policyParams;
import static io.idstream.crypto.http.MessageSignaturesTest.post;
import static io.idstream.crypto.http.MessageSignaturesTest.signed;
import static io.idstream.crypto.http.MessageSignaturesTest.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Requests crafted so that a lenient verifier would accept bytes other than those signed, or act on a keyid other
 * than the one it verified (docs/protocol.md section 16): each is refused with its code, before any key lookup.
 */
class MessageSignaturesHostileInputTest {

    @Test
    void aSignatureInputNotInItsCanonicalFormIsMalformed() {
        Request sent = get(INBOX);
        String input = sent.headers().get("Signature-Input");
        List<String> variants = List.of(
                input.replace("(\"@method\" ", "(\"@method\"  "),
                input.replace("(\"@method\"", "( \"@method\""),
                input.replace("\"@target-uri\")", "\"@target-uri\" )"),
                input.replace(";created=" + NOW, ";created=000" + NOW),
                input.replace(";nonce=", "; nonce="));
        for (String variant : variants) {
            assertThat(refusal(sent.with("Signature-Input", variant))).as(variant).isEqualTo(MALFORMED_SIGNATURE);
        }
    }

    @Test
    void aRepeatedParameterOrLabelIsMalformedAndRoutesNowhere() {
        Request sent = get(INBOX);
        String input = sent.headers().get("Signature-Input");
        Request bobThenAlice = sent.with("Signature-Input", input.replace(";keyid=\"alice\"",
                ";keyid=\"bob\";keyid=\"alice\""));
        Request twoLabels = sent.with("Signature-Input", input.replace("keyid=\"alice\"", "keyid=\"bob\"") + ", "
                + input);
        Request twoSignatures = sent.with("Signature", "sig1=:" + Base64.getEncoder().encodeToString(new byte[64])
                + ":, " + sent.headers().get("Signature"));

        for (Request hostile : List.of(bobThenAlice, twoLabels)) {
            assertThat(refusal(hostile)).isEqualTo(MALFORMED_SIGNATURE);
            assertThat(MessageSignatures.keyIdOf(hostile.headers()::get)).as("the routing key").isEmpty();
        }
        assertThat(refusal(twoSignatures)).isEqualTo(MALFORMED_SIGNATURE);
    }

    @Test
    void aSignatureInBase64WithoutPaddingOrWithTrailingBitsIsMalformed() {
        Request sent = get(INBOX);
        String signature = sent.headers().get("Signature");
        String base64 = signature.substring("sig1=:".length(), signature.length() - 1);
        String unpadded = base64.substring(0, base64.length() - 2);
        String trailingBits = unpadded.substring(0, 85) + flipLowestBit(unpadded.charAt(85)) + "==";

        assertThat(Base64.getDecoder().decode(trailingBits)).as("the same bytes to a lenient decoder")
                .isEqualTo(Base64.getDecoder().decode(base64));
        assertThat(refusal(sent.with("Signature", "sig1=:" + unpadded + ":"))).isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(sent.with("Signature", "sig1=:" + trailingBits + ":"))).isEqualTo(MALFORMED_SIGNATURE);
    }

    @Test
    void aSignedContentDigestInNonCanonicalBase64IsMalformed() {
        String canonical = ContentDigest.sha256(BODY);
        String base64 = canonical.substring("sha-256=:".length(), canonical.length() - 2);
        String unpadded = "sha-256=:" + base64 + ":";
        String trailingBits = "sha-256=:" + base64.substring(0, 42) + flipLowestBit(base64.charAt(42)) + "=:";

        assertThat(refusal(signedWithDigest(unpadded))).isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedWithDigest(trailingBits))).isEqualTo(MALFORMED_SIGNATURE);
    }

    @Test
    void contentDigestIsTrimmedOfSpacesAndTabsOnlyAndIsParsedAsSigned() throws Exception {
        String digest = ContentDigest.sha256(BODY);

        assertThat(verify(signedWithDigest(" \t" + digest + "\t ")).keyId()).isEqualTo("alice");
        assertThat(refusal(post(BODY).with("Content-Digest", digest + "\u000b"))).isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(post(BODY).with("Content-Digest", "\u001f" + digest))).isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedWithDigest(ContentDigest.sha256(MessageSignaturesTest.utf8("other")))))
                .isEqualTo(DIGEST_MISMATCH);
    }

    @Test
    void aKeyIdOutsideThePrincipalIdGrammarIsRefusedBeforeAnyKeyLookup() {
        List<String> lookedUp = new ArrayList<>();
        for (String keyId : List.of("Alice", "a", "-alice", "alice bob", "alice/../bob", "x".repeat(64), "")) {
            Request hostile = MessageSignaturesTest.signedAs(List.of("@method", "@target-uri"),
                    policyParams("keyid", keyId), null);

            SignatureRefused refused = catchThrowableOfType(SignatureRefused.class, () -> MessageSignatures.verify(
                    hostile.method(), hostile.uri(), hostile.headers()::get, hostile.body(), id -> {
                        lookedUp.add(id);
                        return Optional.of(ALICE.publicKey());
                    }, NOW, WINDOW));

            assertThat(refused).as(keyId).isNotNull();
            assertThat(refused.code()).as(keyId).isEqualTo(MALFORMED_SIGNATURE);
            assertThat(MessageSignatures.keyIdOf(hostile.headers()::get)).as(keyId).isEmpty();
        }
        assertThat(lookedUp).as("keyids looked up").isEmpty();
    }

    @Test
    void refusalsQuoteHostileInputOnlyAsAShortEscapedPrefix() {
        String longKeyId = "k".repeat(10_000);
        String longParameter = "p".repeat(10_000);

        SignatureRefused byKeyId = refused(MessageSignaturesTest.signedAs(List.of("@method", "@target-uri"),
                policyParams("keyid", longKeyId), null));
        SignatureRefused byParameter = refused(MessageSignaturesTest.signedAs(List.of("@method", "@target-uri"),
                policyParams(longParameter, 1L), null));

        assertThat(byKeyId.getMessage()).hasSizeLessThan(200).doesNotContain("k".repeat(65));
        assertThat(byParameter.getMessage()).hasSizeLessThan(200).doesNotContain("p".repeat(65));
        assertThat(HostileText.excerpt("a\u0000b\n\u00e9\"" + "x".repeat(100)))
                .isEqualTo("a\\u0000b\\u000a\\u00e9\"" + "x".repeat(58) + "...");
    }

    @Test
    void nullArgumentsAreNamedAndAnAbsentHeaderIsAbsent() {
        Request sent = post(BODY);

        assertThatThrownBy(() -> MessageSignatures.verify(null, sent.uri(), sent.headers()::get, sent.body(),
                id -> Optional.of(ALICE.publicKey()), NOW, WINDOW)).isInstanceOf(NullPointerException.class)
                .hasMessage("method");
        assertThatThrownBy(() -> MessageSignatures.verify(sent.method(), null, sent.headers()::get, sent.body(),
                id -> Optional.of(ALICE.publicKey()), NOW, WINDOW)).isInstanceOf(NullPointerException.class)
                .hasMessage("targetUri");
        assertThatThrownBy(() -> MessageSignatures.verify(sent.method(), sent.uri(), null, sent.body(),
                id -> Optional.of(ALICE.publicKey()), NOW, WINDOW)).isInstanceOf(NullPointerException.class)
                .hasMessage("header");
        assertThat(refusal(sent.with("Content-Digest", null))).isEqualTo(DIGEST_MISMATCH);
    }

    @Test
    void aNonceIsRememberedPastTheLastSecondItsSignatureIsAccepted() throws Exception {
        long created = NOW - WINDOW;
        long expiry = MessageSignatures.nonceExpiry(created, WINDOW);

        assertThat(verify(signed(ALICE, "alice", "GET", INBOX, null, created)).created())
                .as("accepted at the edge of the window").isEqualTo(created);
        assertThat(expiry).as("the nonce is still remembered at the edge").isGreaterThan(NOW);
        assertThat(catchThrowableOfType(SignatureRefused.class, () -> MessageSignatures.verify("GET", INBOX,
                signed(ALICE, "alice", "GET", INBOX, null, created).headers()::get, null,
                id -> Optional.of(ALICE.publicKey()), expiry, WINDOW)).code())
                .as("stale once the nonce may be forgotten").isEqualTo(STALE_SIGNATURE);
    }

    /** A POST whose signature by alice covers the given Content-Digest value, as a client that sent it would sign. */
    private static Request signedWithDigest(String contentDigest) {
        InnerList covered = new InnerList(List.of(new Item("@method", Map.of()), new Item("@target-uri", Map.of()),
                new Item("content-digest", Map.of())), policyParams());
        byte[] base = SignatureBase.of(covered, new SignatureBase.Request("POST", DECISIONS,
                name -> name.equals("content-digest") ? contentDigest : null));
        Item signature = new Item(new ByteSequence(ALICE.sign(base)), Map.of());
        return new Request("POST", DECISIONS, new TreeMap<>(String.CASE_INSENSITIVE_ORDER), BODY)
                .with("Signature-Input", "sig1=" + StructuredFields.serialize(covered))
                .with("Signature", "sig1=" + StructuredFields.serialize(signature))
                .with("Content-Digest", contentDigest);
    }

    private static char flipLowestBit(char base64Digit) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return alphabet.charAt(alphabet.indexOf(base64Digit) ^ 1);
    }

    private static String refusal(Request request) {
        return refused(request).code();
    }

    private static SignatureRefused refused(Request request) {
        SignatureRefused refused = catchThrowableOfType(SignatureRefused.class, () -> verify(request));
        assertThat(refused).as("refused, not accepted").isNotNull();
        return refused;
    }
}
