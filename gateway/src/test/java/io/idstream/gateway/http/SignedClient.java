package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.crypto.http.MessageSignatures;
import io.idstream.crypto.http.MessageSignatures.SignedHeaders;
import io.idstream.gateway.http.TestHolders.Holder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** A holder's side of the API in tests: requests signed as docs/protocol.md section 16 says, sent with Java's client. */
final class SignedClient {
    static final ObjectMapper MAPPER = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TestClock clock;

    SignedClient(TestClock clock) {
        this.clock = clock;
    }

    /** A request signed by {@code signer} now, with a fresh nonce. */
    HttpRequest signed(Holder signer, String method, URI uri, byte[] body) {
        return signed(signer.id(), signer, method, uri, body, clock.epochSeconds(), MessageSignatures.newNonce());
    }

    HttpRequest signed(String keyId, Holder signer, String method, URI uri, byte[] body, long created, String nonce) {
        SignedHeaders headers = MessageSignatures.sign(signer.signing(), keyId, method, uri, body, created, nonce);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Signature-Input", headers.signatureInput())
                .header("Signature", headers.signature())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Digest", headers.contentDigest()).header("Content-Type", "application/json");
        }
        return request.build();
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An unsigned GET sent from {@code localAddress} (another address of the loopback network, 127.0.0.2 say), so
     * that the gateway sees another client; HTTP/1.0 over a plain socket, since Java's client cannot choose its
     * source address.
     */
    Answer unsignedGetFrom(String localAddress, URI uri) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + uri.getRawPath() + " HTTP/1.0\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String[] head = response.substring(0, headersEnd).split("\r\n");
            String contentType = "";
            for (String line : head) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).strip();
                }
            }
            return new Answer(Integer.parseInt(head[0].split(" ")[1]), contentType,
                    response.substring(headersEnd + 4), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Answer get(Holder signer, URI uri) {
        return send(signed(signer, "GET", uri, null));
    }

    Answer post(Holder signer, URI uri, JsonNode body) {
        return send(signed(signer, "POST", uri, body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** A response, its body read as JSON when asked. */
    record Answer(int status, String contentType, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }
}
