package io.idstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;
import io.idstream.mapping.AvroJson;
import io.idstream.sdk.Identity;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Raw requests to the holder gateway, signed the way a holder's own client signs them (docs/protocol.md section 16),
 * with the signature's creation time and nonce in the test's hands: for the refusals the SDK's client never provokes.
 */
public final class SignedHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private SignedHttp() {
    }

    /** A GET signed by {@code signer} now, with a fresh nonce. */
    public static HttpRequest get(Identity signer, URI uri) {
        return signed(signer, "GET", uri, null, nowSeconds(), MessageSignatures.newNonce());
    }

    /** A POST of the record's JSON form, signed by {@code signer} now, with a fresh nonce. */
    public static HttpRequest post(Identity signer, URI uri, SpecificRecord body) {
        return signed(signer, "POST", uri, AvroJson.toJson(body).toString().getBytes(StandardCharsets.UTF_8),
                nowSeconds(), MessageSignatures.newNonce());
    }

    /** A request signed by {@code signer} as created at {@code createdSeconds} (epoch seconds), with {@code nonce}. */
    public static HttpRequest signed(Identity signer, String method, URI uri, byte[] bodyOrNull, long createdSeconds,
                                     String nonce) {
        SignedHeaders headers = MessageSignatures.sign(signer.signing(), signer.id(), method, uri, bodyOrNull,
                createdSeconds, nonce);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Signature-Input", headers.signatureInput())
                .header("Signature", headers.signature());
        if (bodyOrNull == null) {
            return request.GET().build();
        }
        return request.header("Content-Type", "application/json")
                .header("Content-Digest", headers.contentDigest())
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bodyOrNull)).build();
    }

    public static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    public static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The gateway's answer: its status and body; a refusal's body is {"error":{"code","message"}}. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }
    }
}
