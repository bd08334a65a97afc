package io.idstream.crypto.http;

import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.http.MessageSignatures.SignatureRefused;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;
import io.idstream.crypto.http.MessageSignatures.Verified;
import io.idstream.crypto.http.StructuredFields.ByteSequence;
import io.idstream.crypto.http.StructuredFields.InnerList;
import io.idstream.crypto.http.StructuredFields.Item;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.BAD_SIGNATURE;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.DIGEST_MISMATCH;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.MALFORMED_SIGNATURE;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.MISSING_SIGNATURE;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.STALE_SIGNATURE;
import static io.idstream.crypto.http.MessageSignatures.SignatureRefused.UNKNOWN_HOLDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A holder's signed request as the gateway receives it (docs/protocol.md section 16): accepted as sent, and refused,
 * with the code of the check that failed, when anything it covers or the policy requires is changed.
 */
class MessageSignaturesTest {
    static final SigningKeyPair ALICE = SigningKeyPair.generate();
    static final SigningKeyPair BOB = SigningKeyPair.generate();
    static final Map<String, byte[]> DIRECTORY = Map.of("alice", ALICE.publicKey(), "bob", BOB.publicKey());
    static final long NOW = 1_700_000_000L;
    static final long WINDOW = 60;
    static final URI INBOX = URI.create("https://gateway.example/v1/holders/alice/inbox");
    static final URI AUDIT = URI.create("https://gateway.example/v1/holders/alice/audit?after=-1&limit=50");
    static final URI DECISIONS = URI.create("https://gateway.example/v1/holders/alice/decisions");
    static final byte[] BODY = utf8("{\"type\":\"Denial\",\"holderId\":\"alice\"}");

    /** A request as a server sees it: method, target URI, headers by case-insensitive name, body. */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
        Request with(String name, String value) {
            Map<String, String> changed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            changed.putAll(headers);
            if (value == null) {
                changed.remove(name);
            } else {
                changed.put(name, value);
            }
            return new Request(method, uri, changed, body);
        }
    }

    static Request signed(SigningKeyPair key, String keyId, String method, URI uri, byte[] body, long created) {
        SignedHeaders signed = MessageSignatures.sign(key, keyId, method, uri, body, created, "n0nce_-A1");
        Request request = new Request(method, uri, new TreeMap<>(String.CASE_INSENSITIVE_ORDER), body)
                .with("Signature-Input", signed.signatureInput()).with("Signature", signed.signature())
                .with("Host", uri.getHost());
        return signed.contentDigest() == null ? request : request.with("Content-Digest", signed.contentDigest());
    }

    static Request post(byte[] body) {
        return signed(ALICE, "alice", "POST", DECISIONS, body, NOW);
    }

    static Request get(URI uri) {
        return signed(ALICE, "alice", "GET", uri, null, NOW);
    }

    static Verified verify(Request request) throws SignatureRefused {
        return MessageSignatures.verify(request.method(), request.uri(), request.headers()::get, request.body(),
                id -> Optional.ofNullable(DIRECTORY.get(id)), NOW, WINDOW);
    }

    static String refusal(Request request) {
        SignatureRefused refused = catchThrowableOfType(SignatureRefused.class, () -> verify(request));
        assertThat(refused).as("refused, not accepted").isNotNull();
        return refused.code();
    }

    @Test
    void signedRequestsAreAcceptedWithTheirSigner() throws Exception {
        assertThat(verify(get(AUDIT))).isEqualTo(new Verified("alice", NOW, "n0nce_-A1"));
        assertThat(verify(post(BODY))).isEqualTo(new Verified("alice", NOW, "n0nce_-A1"));
        assertThat(verify(signed(BOB, "bob", "POST", DECISIONS, BODY, NOW)).keyId()).isEqualTo("bob");
    }

    @Test
    void theHeadersHaveTheFormOfSection16() {
        SignedHeaders headers = MessageSignatures.sign(ALICE, "alice", "POST", DECISIONS, BODY, NOW, "abc");

        assertThat(headers.signatureInput()).isEqualTo("sig1=(\"@method\" \"@target-uri\" \"content-digest\")"
                + ";created=1700000000;nonce=\"abc\";keyid=\"alice\";alg=\"ed25519\"");
        assertThat(headers.signature()).matches("sig1=:[A-Za-z0-9+/]{86}==:");
        SignedHeaders emptyBody = MessageSignatures.sign(ALICE, "alice", "POST", INBOX, new byte[0], NOW, "abc");
        assertThat(emptyBody.signatureInput()).startsWith("sig1=(\"@method\" \"@target-uri\");");
        assertThat(emptyBody.contentDigest()).isNull();
    }

    @Test
    void aHolderSigningWithAnotherHoldersKeyIdIsABadSignature() {
        assertThat(refusal(signed(BOB, "alice", "GET", INBOX, null, NOW))).isEqualTo(BAD_SIGNATURE);
        assertThat(refusal(signed(BOB, "alice", "POST", DECISIONS, BODY, NOW))).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void aKeyIdWithoutAKeyIsAnUnknownHolder() {
        assertThat(refusal(signed(SigningKeyPair.generate(), "mallory", "GET", INBOX, null, NOW)))
                .isEqualTo(UNKNOWN_HOLDER);
    }

    @Test
    void changingTheMethodOrAnyPartOfTheTargetUriBreaksTheSignature() {
        Request sent = get(AUDIT);
        for (String uri : List.of("https://gateway.example/v1/holders/bob/audit?after=-1&limit=50",
                "https://gateway.example/v1/holders/alice/audit?after=-1&limit=500",
                "https://gateway.example/v1/holders/alice/audit",
                "https://other.example/v1/holders/alice/audit?after=-1&limit=50",
                "https://gateway.example:8443/v1/holders/alice/audit?after=-1&limit=50",
                "http://gateway.example/v1/holders/alice/audit?after=-1&limit=50")) {
            Request altered = new Request(sent.method(), URI.create(uri), sent.headers(), null);
            assertThat(refusal(altered)).as(uri).isEqualTo(BAD_SIGNATURE);
        }
        assertThat(refusal(new Request("DELETE", AUDIT, sent.headers(), null))).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void theTargetUriIsComparedNormalized() throws Exception {
        Request sent = get(AUDIT);
        Request asReceived = new Request("GET", URI.create("HTTPS://Gateway.EXAMPLE:443/v1/holders/alice/audit"
                + "?after=-1&limit=50"), sent.headers(), null);

        assertThat(verify(asReceived).keyId()).isEqualTo("alice");
    }

    @Test
    void aBodyChangedUnderItsOldDigestIsADigestMismatch() {
        Request sent = post(BODY);
        Request altered = new Request("POST", DECISIONS, sent.headers(), utf8("{\"type\":\"Grant\"}"));

        assertThat(refusal(altered)).isEqualTo(DIGEST_MISMATCH);
    }

    @Test
    void aChangedOrMissingDigestHeaderIsADigestMismatch() {
        Request sent = post(BODY);

        assertThat(refusal(sent.with("Content-Digest", ContentDigest.sha256(utf8("other")))))
                .isEqualTo(DIGEST_MISMATCH);
        assertThat(refusal(sent.with("Content-Digest", "sha-512=:AAAA:"))).isEqualTo(DIGEST_MISMATCH);
        assertThat(refusal(sent.with("Content-Digest", null))).isEqualTo(DIGEST_MISMATCH);
    }

    @Test
    void aBodyReplacedWithItsOwnDigestBreaksTheSignatureThatCoversTheDigest() {
        byte[] replaced = utf8("{\"type\":\"Grant\"}");
        Request sent = post(BODY);
        Request altered = new Request("POST", DECISIONS, sent.headers(), replaced)
                .with("Content-Digest", ContentDigest.sha256(replaced));

        assertThat(refusal(altered)).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void createdMoreThanTheWindowAwayEitherWayIsStale() throws Exception {
        assertThat(refusal(signed(ALICE, "alice", "GET", INBOX, null, NOW - 61))).isEqualTo(STALE_SIGNATURE);
        assertThat(refusal(signed(ALICE, "alice", "GET", INBOX, null, NOW + 61))).isEqualTo(STALE_SIGNATURE);
        assertThat(verify(signed(ALICE, "alice", "GET", INBOX, null, NOW - 60)).created()).isEqualTo(NOW - 60);
        assertThat(verify(signed(ALICE, "alice", "GET", INBOX, null, NOW + 60)).created()).isEqualTo(NOW + 60);
    }

    @Test
    void noSig1SignatureIsAMissingSignature() {
        Request sent = get(INBOX);
        Request otherLabelOnly = sent.with("Signature-Input", sent.headers().get("Signature-Input")
                .replace("sig1=", "sig2=")).with("Signature", sent.headers().get("Signature").replace("sig1=", "sig2="));

        assertThat(refusal(otherLabelOnly)).isEqualTo(MISSING_SIGNATURE);
        assertThat(refusal(sent.with("Signature-Input", null).with("Signature", null))).isEqualTo(MISSING_SIGNATURE);
        assertThat(refusal(sent.with("Signature", null))).isEqualTo(MALFORMED_SIGNATURE);
    }

    @Test
    void anotherSignatureBesideSig1IsIgnored() throws Exception {
        Request sent = get(INBOX);
        Request twoLabels = sent.with("Signature-Input", "other=(\"@method\");created=1, "
                + sent.headers().get("Signature-Input")).with("Signature", sent.headers().get("Signature")
                + ", other=:AAAA:");

        assertThat(verify(twoLabels).keyId()).isEqualTo("alice");
    }

    @Test
    void aValidSignatureOutsideThePolicyIsMalformed() {
        Map<String, Object> params = policyParams();
        params.remove("nonce");
        assertThat(refusal(signedAs(List.of("@method", "@target-uri"), params, null))).as("no nonce")
                .isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@method", "@target-uri"), policyParams("nonce", "a+b"), null)))
                .as("nonce outside base64url").isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@method", "@target-uri"), policyParams("nonce", "a".repeat(129)), null)))
                .as("nonce too long").isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@method", "@target-uri"), policyParams("alg", "ed25519ph"), null)))
                .as("other alg").isEqualTo(MALFORMED_SIGNATURE);
        params = policyParams();
        params.remove("alg");
        assertThat(refusal(signedAs(List.of("@method", "@target-uri"), params, null))).as("no alg")
                .isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@method", "@target-uri"), policyParams("expires", NOW + 10), null)))
                .as("an extra parameter").isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@method", "@target-uri"), policyParams("created", "now"), null)))
                .as("created not an integer").isEqualTo(MALFORMED_SIGNATURE);
    }

    @Test
    void coveringOtherComponentsThanTheRequiredOnesIsMalformed() {
        assertThat(refusal(signedAs(List.of("@method", "content-digest"), policyParams(), BODY)))
                .as("@target-uri missing").isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@method", "@target-uri"), policyParams(), BODY)))
                .as("content-digest missing with a body").isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@target-uri", "@method"), policyParams(), null)))
                .as("out of order").isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@method", "@target-uri", "content-digest"), policyParams(), null)))
                .as("content-digest without a body").isEqualTo(MALFORMED_SIGNATURE);
        assertThat(refusal(signedAs(List.of("@method", "@target-uri", "host"), policyParams(), null)))
                .as("an extra component").isEqualTo(MALFORMED_SIGNATURE);
    }

    @Test
    void keyIdOfReadsTheRoutingKeyWithoutVerifying() {
        Request forged = signed(BOB, "alice", "GET", INBOX, null, NOW);

        assertThat(MessageSignatures.keyIdOf(forged.headers()::get)).contains("alice");
        assertThat(MessageSignatures.keyIdOf(name -> null)).isEmpty();
        assertThat(MessageSignatures.keyIdOf(name -> "sig1=(\"@method\";created=1")).isEmpty();
        assertThat(MessageSignatures.keyIdOf(name -> "sig1=(\"@method\");keyid=alice")).isEmpty();
        assertThat(MessageSignatures.keyIdOf(name -> "sig2=(\"@method\");keyid=\"alice\"")).isEmpty();
    }

    @Test
    void noncesAre128RandomBitsInBase64Url() {
        String nonce = MessageSignatures.newNonce();

        assertThat(nonce).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(MessageSignatures.newNonce());
    }

    /** A request whose signature verifies under alice's key but covers the given components and parameters. */
    static Request signedAs(List<String> components, Map<String, Object> params, byte[] body) {
        URI uri = body == null ? INBOX : DECISIONS;
        String method = body == null ? "GET" : "POST";
        String digest = ContentDigest.sha256(body == null ? new byte[0] : body);
        InnerList covered = new InnerList(components.stream().map(c -> new Item(c, Map.of())).toList(), params);
        byte[] base = SignatureBase.of(covered, new SignatureBase.Request(method, uri,
                name -> name.equals("content-digest") ? digest : name.equals("host") ? uri.getHost() : null));
        Item signature = new Item(new ByteSequence(ALICE.sign(base)), Map.of());
        return new Request(method, uri, new TreeMap<>(String.CASE_INSENSITIVE_ORDER), body)
                .with("Signature-Input", "sig1=" + StructuredFields.serialize(covered))
                .with("Signature", "sig1=" + StructuredFields.serialize(signature))
                .with("Content-Digest", digest).with("Host", uri.getHost());
    }

    static Map<String, Object> policyParams(Object... replaced) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("created", NOW);
        params.put("nonce", "n0nce");
        params.put("keyid", "alice");
        params.put("alg", "ed25519");
        for (int i = 0; i < replaced.length; i += 2) {
            params.put((String) replaced[i], replaced[i + 1]);
        }
        return params;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
