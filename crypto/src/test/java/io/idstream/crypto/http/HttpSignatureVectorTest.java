package io.idstream.crypto.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;
import io.idstream.crypto.http.MessageSignatures.Verified;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code httpSignature} vectors of {@code vectors/protocol-v1.json}, which the independent Python implementation
 * ({@code src/test/python}) wrote from docs/protocol.md section 16: the same signature base, headers and signature
 * bytes here, and the vector's request verifies.
 */
class HttpSignatureVectorTest {
    private static final JsonNode VECTORS = load();
    private static final SigningKeyPair HOLDER = SigningKeyPair.fromPrivateKey(
            HexFormat.of().parseHex(VECTORS.get("keys").get("holderSigningPrivate").asText()));
    private static final String KEY_ID = VECTORS.get("httpSignature").get("keyId").asText();

    @ParameterizedTest
    @ValueSource(strings = {"get", "post", "ipv6", "trailingDot"})
    void javaSignsThePythonBytes(String name) {
        JsonNode vector = VECTORS.get("httpSignature").get(name);
        byte[] body = body(vector);
        String contentDigest = vector.get("contentDigest").isNull() ? null : vector.get("contentDigest").asText();

        byte[] base = MessageSignatures.signatureBase(KEY_ID, vector.get("method").asText(), targetUri(vector),
                contentDigest, vector.get("created").asLong(), vector.get("nonce").asText());
        SignedHeaders headers = MessageSignatures.sign(HOLDER, KEY_ID, vector.get("method").asText(), targetUri(vector),
                body, vector.get("created").asLong(), vector.get("nonce").asText());

        assertThat(new String(base, StandardCharsets.US_ASCII)).isEqualTo(vector.get("signatureBase").asText());
        assertThat(headers.signatureInput()).isEqualTo(vector.get("signatureInput").asText());
        assertThat(headers.signature()).isEqualTo(vector.get("signature").asText());
        assertThat(headers.contentDigest()).isEqualTo(contentDigest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "post", "ipv6", "trailingDot"})
    void thePythonRequestVerifies(String name) throws Exception {
        JsonNode vector = VECTORS.get("httpSignature").get(name);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Signature-Input", vector.get("signatureInput").asText());
        headers.put("Signature", vector.get("signature").asText());
        if (!vector.get("contentDigest").isNull()) {
            headers.put("Content-Digest", vector.get("contentDigest").asText());
        }
        long created = vector.get("created").asLong();

        Verified verified = MessageSignatures.verify(vector.get("method").asText(), targetUri(vector), headers::get,
                body(vector), id -> id.equals(KEY_ID) ? Optional.of(HOLDER.publicKey()) : Optional.empty(),
                created + 60, 60);

        assertThat(verified).isEqualTo(new Verified("alice", created, vector.get("nonce").asText()));
    }

    private static URI targetUri(JsonNode vector) {
        return URI.create(vector.get("targetUri").asText());
    }

    private static byte[] body(JsonNode vector) {
        return vector.get("body").isNull() ? null : vector.get("body").asText().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode load() {
        try (InputStream in = HttpSignatureVectorTest.class.getResourceAsStream("/vectors/protocol-v1.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
