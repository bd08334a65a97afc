package io.idstream.crypto.http;

import io.idstream.crypto.Signatures;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.http.StructuredFields.ByteSequence;
import io.idstream.crypto.http.StructuredFields.InnerList;
import io.idstream.crypto.http.StructuredFields.Item;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The published examples of RFC 9421 (HTTP Message Signatures) and RFC 9530 (Digest Fields), checked against this
 * package's signature base, structured fields and Content-Digest.
 */
class Rfc9421Test {
    /** RFC 9421 appendix B.1.4, test-key-ed25519. */
    static final String TEST_KEY_ED25519 = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
            -----END PRIVATE KEY-----
            """;
    static final byte[] TEST_KEY_ED25519_PUBLIC =
            Base64.getUrlDecoder().decode("JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs");

    /** RFC 9421 appendix B.2, test-request, with its headers by lower-case name. */
    static final URI TEST_REQUEST_URI = URI.create("https://example.com/foo?param=Value&Pet=dog");
    static final byte[] TEST_REQUEST_BODY = "{\"hello\": \"world\"}".getBytes(StandardCharsets.US_ASCII);
    static final Map<String, String> TEST_REQUEST_HEADERS = Map.of(
            "host", "example.com",
            "date", "Tue, 20 Apr 2021 02:07:55 GMT",
            "content-type", "application/json",
            "content-digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHW"
                    + "XvJwew==:",
            "content-length", "18");

    static final String B26_SIGNATURE_INPUT = "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" "
            + "\"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";
    static final String B26_SIGNATURE = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w"
            + "6vuQv5lIp5WPpBKRCw==:";
    static final String B26_SIGNATURE_BASE = """
            "date": Tue, 20 Apr 2021 02:07:55 GMT
            "@method": POST
            "@path": /foo
            "@authority": example.com
            "content-type": application/json
            "content-length": 18
            "@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length")\
            ;created=1618884473;keyid="test-key-ed25519\"""";

    @Test
    void b26SignatureBaseAndSignatureOfTheTestRequest() throws Exception {
        // Given the RFC's Signature-Input and Signature headers of B.2.6, parsed
        InnerList covered = (InnerList) StructuredFieldParser.parseDictionary(B26_SIGNATURE_INPUT).get("sig-b26");
        Item signature = (Item) StructuredFieldParser.parseDictionary(B26_SIGNATURE).get("sig-b26");
        byte[] published = ((ByteSequence) signature.value()).bytes();

        // When the signature base of the test request is built from them
        byte[] base = SignatureBase.of(covered, new SignatureBase.Request("POST", TEST_REQUEST_URI,
                TEST_REQUEST_HEADERS::get));

        // Then it is the RFC's, the published signature verifies under test-key-ed25519, and signing gives its bytes
        assertThat(new String(base, StandardCharsets.US_ASCII)).isEqualTo(B26_SIGNATURE_BASE);
        assertThat(Signatures.isValid(TEST_KEY_ED25519_PUBLIC, base, published)).isTrue();
        SigningKeyPair key = SigningKeyPair.fromPem(TEST_KEY_ED25519);
        assertThat(key.publicKey()).isEqualTo(TEST_KEY_ED25519_PUBLIC);
        assertThat("sig-b26=" + StructuredFields.serialize(new Item(new ByteSequence(key.sign(base)), Map.of())))
                .isEqualTo(B26_SIGNATURE);
        assertThat("sig-b26=" + StructuredFields.serialize(covered)).isEqualTo(B26_SIGNATURE_INPUT);
    }

    @Test
    void derivedComponentsOfSection22() throws Exception {
        // RFC 9421 sections 2.2.1 to 2.2.7, for "POST /path?param=value HTTP/1.1" to www.example.com over https
        String input = "a=(\"@method\" \"@target-uri\" \"@authority\" \"@scheme\" \"@request-target\" \"@path\" "
                + "\"@query\");created=1";
        InnerList covered = (InnerList) StructuredFieldParser.parseDictionary(input).get("a");

        byte[] base = SignatureBase.of(covered, new SignatureBase.Request("POST",
                URI.create("https://www.example.com/path?param=value"), name -> null));

        assertThat(new String(base, StandardCharsets.US_ASCII)).isEqualTo("""
                "@method": POST
                "@target-uri": https://www.example.com/path?param=value
                "@authority": www.example.com
                "@scheme": https
                "@request-target": /path?param=value
                "@path": /path
                "@query": ?param=value
                "@signature-params": ("@method" "@target-uri" "@authority" "@scheme" "@request-target" "@path" \
                "@query");created=1""");
    }

    @Test
    void targetUriIsNormalizedAsSection16Says() {
        // Scheme and host in lower case, a default port dropped, another kept, an empty path is "/", query as given
        assertThat(targetUri("HTTPS://Gateway.Example:443/v1/Holders/alice?after=-1&Limit=5"))
                .isEqualTo("https://gateway.example/v1/Holders/alice?after=-1&Limit=5");
        assertThat(targetUri("http://gateway.example:80")).isEqualTo("http://gateway.example/");
        assertThat(targetUri("http://gateway.example:8080/a%2Fb?")).isEqualTo("http://gateway.example:8080/a%2Fb?");
        assertThat(targetUri("https://gateway.example:80/")).isEqualTo("https://gateway.example:80/");
        assertThat(query("https://gateway.example/inbox")).isEqualTo("?");
        assertThatThrownBy(() -> targetUri("/v1/holders/alice")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an absolute URI with a host");
    }

    @Test
    void coveredFieldValuesAreTrimmedAndAnAbsentOneFails() throws Exception {
        InnerList covered = (InnerList) StructuredFieldParser.parseDictionary("a=(\"x-example\")").get("a");
        Function<String, String> headers = Map.of("x-example", "  one, two \t")::get;

        byte[] base = SignatureBase.of(covered, new SignatureBase.Request("GET", TEST_REQUEST_URI, headers));

        assertThat(new String(base, StandardCharsets.US_ASCII))
                .isEqualTo("\"x-example\": one, two\n\"@signature-params\": (\"x-example\")");
        assertThatThrownBy(() -> SignatureBase.of(covered, new SignatureBase.Request("GET", TEST_REQUEST_URI,
                name -> null))).hasMessageContaining("x-example is absent");
        assertThatThrownBy(() -> SignatureBase.of(covered, new SignatureBase.Request("GET", TEST_REQUEST_URI,
                name -> "a\nforged: line"))).hasMessageContaining("outside visible ASCII");
    }

    @Test
    void contentDigestOfRfc9530() {
        // RFC 9530 section 2: the sha-256 of {"hello": "world"}; appendix B.2 of RFC 9421 gives its sha-512
        String sha256 = "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:";
        String sha512 = TEST_REQUEST_HEADERS.get("content-digest");

        assertThat(ContentDigest.sha256(TEST_REQUEST_BODY)).isEqualTo(sha256);
        assertThat(ContentDigest.matches(sha256, TEST_REQUEST_BODY)).isTrue();
        assertThat(ContentDigest.matches(sha512 + ", " + sha256, TEST_REQUEST_BODY)).isTrue();
        assertThat(ContentDigest.matches(sha512, TEST_REQUEST_BODY)).as("no sha-256 member").isFalse();
        assertThat(ContentDigest.matches(sha256, "{\"hello\": \"world!\"}".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
        assertThat(ContentDigest.matches("sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"",
                TEST_REQUEST_BODY)).as("a string, not a byte sequence").isFalse();
        assertThat(ContentDigest.matches("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", TEST_REQUEST_BODY))
                .as("unclosed").isFalse();
        assertThat(ContentDigest.matches(null, TEST_REQUEST_BODY)).isFalse();
    }

    @Test
    void structuredFieldsRoundTripCanonically() throws Exception {
        String input = "a=(\"x\" tok;p=?0 :AQI=:;q);n=-12;d=1.50;s=\"q\\\"\\\\\";t=*x/y;b, c;x=?1, d=4.0";
        var dictionary = StructuredFieldParser.parseDictionary("  " + input.replace(", ", " ,\t") + " ");

        assertThat(dictionary.keySet()).containsExactly("a", "c", "d");
        assertThat(StructuredFields.serialize((InnerList) dictionary.get("a")))
                .isEqualTo("(\"x\" tok;p=?0 :AQI=:;q);n=-12;d=1.5;s=\"q\\\"\\\\\";t=*x/y;b");
        assertThat(StructuredFields.serialize((Item) dictionary.get("c"))).isEqualTo("?1;x");
        assertThat(StructuredFields.serialize((Item) dictionary.get("d"))).isEqualTo("4.0");
        for (String malformed : List.of("A=1", "a=1,", "a=(1 2", "a=(1  2)x", "a=\"\\n\"", "a=1234567890123456",
                "a=1.2345", "a=1.", "a=?2", "a=:AQ!=:", "a=:AQI", "a=\"é\"", "a=-", "a=1;B", "a=1 b=2", "a=@",
                "a=1, a=2", "a=1, b, a", "a=1;p;p=2", "a=(1;q 2);p;p", "a=:AQ:", "a=:AR==:", "a=(1;q;q)")) {
            assertThatThrownBy(() -> StructuredFieldParser.parseDictionary(malformed)).as(malformed)
                    .isInstanceOf(StructuredFields.MalformedField.class);
        }
    }

    /** The value of one derived component, read from the signature base built for it. */
    private static String derived(String component, String uri) {
        InnerList covered = new InnerList(List.of(new Item(component, Map.of())), Map.of());
        String base = new String(SignatureBase.of(covered, new SignatureBase.Request("GET", URI.create(uri),
                name -> null)), StandardCharsets.US_ASCII);
        return base.substring(base.indexOf(": ") + 2, base.indexOf('\n'));
    }

    private static String targetUri(String uri) {
        return derived("@target-uri", uri);
    }

    private static String query(String uri) {
        return derived("@query", uri);
    }
}
