package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;

/**
 * The HTTP under {@link GatewayConnection}'s routes: one JDK client, requests signed with the holder's key (RFC 9421,
 * docs/protocol.md section 16), 503 answers asked again, and the answers read as JSON or as the gateway's refusal.
 * The keys that sign are replaced when a key rotation has bound new ones. Thread-safe.
 */
final class GatewayHttp {
    private final URI url;
    /** Whose keys sign the requests; null on a connection without keys. */
    private volatile Identity holder;
    private final HttpClient client;
    private final Duration timeout;

    GatewayHttp(URI url, Identity holder, SSLContext tls, Duration timeout) {
        this.url = url;
        this.holder = holder;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    private GatewayHttp(GatewayHttp shared, Identity holder) {
        this.url = shared.url;
        this.holder = holder;
        this.client = shared.client;
        this.timeout = shared.timeout;
    }

    GatewayHttp signedBy(Identity other) {
        return new GatewayHttp(this, other);
    }

    void useKeys(Identity rotated) {
        Identity current = holder;
        if (current == null || !current.id().equals(rotated.id())) {
            throw new IllegalArgumentException("the new keys are not those of this connection's holder");
        }
        holder = rotated;
    }

    URI url() {
        return url;
    }

    /**
     * A GET without a signature: only for the backup of a holder who has no keys yet (docs/protocol.md section 16),
     * which is why it takes no method and is not asked again on 503.
     */
    HttpResponse<byte[]> unsigned(String backupPath) {
        if (!backupPath.startsWith("/v1/holders/") || !backupPath.endsWith("/backup")) {
            throw new IllegalArgumentException("only a holder's backup is read unsigned, not " + backupPath);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + backupPath)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        return exchange(request, HttpResponse.BodyHandlers.ofByteArray(), "GET " + backupPath);
    }

    /** The signed request's answer as JSON, asked again while the gateway answers 503 with a time to come back. */
    JsonNode send(String method, String path, byte[] bytes) {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        HttpResponse<byte[]> response = exchange(signed(method, path, bytes), HttpResponse.BodyHandlers.ofByteArray(),
                method + " " + path);
        // 503 says the holder's views are starting or moving between instances, or Kafka did not take a write: the
        // gateway names a time to come back, and a request signed anew then is served (a decision written twice is
        // refused by the processors as a replay, so retrying one is safe).
        while (response.statusCode() == 503) {
            long pause = GatewayAnswers.retryAfterMillis(response);
            if (System.nanoTime() + pause * 1_000_000 > giveUpAt) {
                break;
            }
            pauseFor(pause);
            response = exchange(signed(method, path, bytes), HttpResponse.BodyHandlers.ofByteArray(),
                    method + " " + path);
        }
        return answer(response, method + " " + path);
    }

    /** The answer's JSON, empty for 204; an error answer as its refusal. */
    static JsonNode answer(HttpResponse<byte[]> response, String what) {
        if (response.statusCode() >= 300) {
            throw GatewayAnswers.refusal(response.statusCode(), response.body());
        }
        if (response.body().length == 0) {
            return GatewayConnection.JSON.createObjectNode();
        }
        try {
            return GatewayConnection.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IdstreamException("the gateway's answer to " + what + " is not JSON", e);
        }
    }

    /** The request, signed now with a fresh nonce for exactly this method, URI and body. */
    HttpRequest signed(String method, String path, byte[] body) {
        URI target = URI.create(url + path);
        Identity signer = holder();
        SignedHeaders signature = MessageSignatures.sign(signer.signing(), signer.id(), method, target, body,
                Instant.now().getEpochSecond(), MessageSignatures.newNonce());
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Accept", path.endsWith("/events") ? "text/event-stream" : "application/json")
                .header("Signature-Input", signature.signatureInput())
                .header("Signature", signature.signature());
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json")
                .header("Content-Digest", signature.contentDigest())
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return client.send(request, handler);
        } catch (ConnectException e) {
            throw new IdstreamException("cannot reach the gateway at " + url + ": connection refused (is it "
                    + "running at that address?)", e);
        } catch (HttpTimeoutException e) {
            throw new IdstreamException("the gateway at " + url + " did not answer " + what + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new IdstreamException("cannot reach the gateway at " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdstreamException("interrupted while waiting for the gateway at " + url, e);
        }
    }

    private void pauseFor(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdstreamException("interrupted while waiting to ask the gateway at " + url + " again", e);
        }
    }

    /** Whose keys sign the requests; refused on a connection without keys. */
    Identity holder() {
        Identity signer = holder;
        if (signer == null) {
            throw new IdstreamException("this connection holds no keys: it can only fetch a backup");
        }
        return signer;
    }
}
