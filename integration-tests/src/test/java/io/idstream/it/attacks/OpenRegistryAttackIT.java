package io.idstream.it.attacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.platform.AdminSecret;
import io.idstream.platform.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static io.idstream.it.attacks.SecurePlatformLogins.basic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: the embedded schema registry of a secure platform answers anyone who can reach its port. Anonymous
 * clients read, register and delete schemas (deleting the subjects the processors decode with stops every reader),
 * any principal may rewrite it, and a body of any size is read whole into the heap. The registry must ask every
 * request for a login the platform knows, leave changes to the operator's service principal, and refuse a body
 * over 1 MB before reading it.
 */
@Timeout(180)
class OpenRegistryAttackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSUMER = "exchange-a";
    private static final String CONSUMER_PASSWORD = "exchange-a-" + UUID.randomUUID();
    private static final int TWO_MB = 2 * 1024 * 1024;

    @TempDir
    static Path dir;
    static Platform platform;
    static String adminPassword;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        platform = SecurePlatformLogins.start(dir.resolve("data"), Map.of());
        adminPassword = SecurePlatformLogins.adminPassword(dir.resolve("data"));
        SecurePlatformLogins.addKafkaUser(platform, CONSUMER, CONSUMER_PASSWORD);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .sslContext(SecurePlatformLogins.trustingThePlatform(dir.resolve("data"))).build();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void anAnonymousClientIsRefusedEveryRequest() throws Exception {
        String subject = newSubject();
        register(asAdmin(), subject);

        for (HttpResponse<String> anonymous : List.of(
                send(null, "GET", "/subjects", null),
                send(null, "GET", "/schemas/ids/1", null),
                send(null, "POST", "/subjects/" + subject + "/versions", schemaBody(newRecordName())),
                send(null, "DELETE", "/subjects/" + subject, null))) {
            assertThat(anonymous.statusCode()).as(anonymous.request() + " " + anonymous.body()).isEqualTo(401);
            assertThat(errorBody(anonymous)).as(anonymous.request().toString())
                    .isEqualTo(Map.of("error_code", 401, "message", "Unauthorized"));
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Basic realm="));
        }
        assertThat(send(asAdmin(), "GET", "/subjects/" + subject + "/versions", null).body())
                .as("the anonymous delete deleted nothing").isEqualTo("[1]");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        HttpResponse<String> guessed = send(basic(CONSUMER, "guessed"), "GET", "/subjects", null);

        assertThat(guessed.statusCode()).isEqualTo(401);
        assertThat(errorBody(guessed)).isEqualTo(Map.of("error_code", 401, "message", "Unauthorized"));
    }

    @Test
    void aConsumerReadsButCannotRegisterOrDelete() throws Exception {
        String subject = newSubject();
        String recordName = newRecordName();
        int id = register(asAdmin(), subject, recordName);
        String consumer = basic(CONSUMER, CONSUMER_PASSWORD);

        HttpResponse<String> read = send(consumer, "GET", "/schemas/ids/" + id, null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("schema").asText()).contains(recordName);
        HttpResponse<String> sameAgain = send(consumer, "POST", "/subjects/" + subject + "/versions",
                schemaBody(recordName));
        assertThat(sameAgain.statusCode()).as("a serializer re-registering a known schema: " + sameAgain.body())
                .isEqualTo(200);
        assertThat(JSON.readTree(sameAgain.body()).path("id").asInt()).isEqualTo(id);

        for (HttpResponse<String> change : List.of(
                send(consumer, "POST", "/subjects/" + subject + "/versions", schemaBody(newRecordName())),
                send(consumer, "POST", "/subjects/" + newSubject() + "/versions", schemaBody(recordName)),
                send(consumer, "DELETE", "/subjects/" + subject, null),
                send(consumer, "DELETE", "/subjects/" + subject + "/versions/1", null),
                send(consumer, "PUT", "/config", "{\"compatibility\":\"NONE\"}"))) {
            assertThat(change.statusCode()).as(change.request() + " " + change.body()).isEqualTo(403);
            assertThat(errorBody(change)).as(change.request().toString()).isEqualTo(Map.of("error_code", 40301,
                    "message", "User " + CONSUMER + " is not allowed to change the registry; only "
                            + AdminSecret.ADMIN_USER + " is"));
        }
        assertThat(send(asAdmin(), "GET", "/subjects/" + subject + "/versions", null).body()).isEqualTo("[1]");
        assertThat(send(asAdmin(), "GET", "/config", null).body()).contains("BACKWARD");
    }

    @Test
    void theOperatorRegistersAndDeletes() throws Exception {
        String subject = newSubject();
        register(asAdmin(), subject);

        HttpResponse<String> deleted = send(asAdmin(), "DELETE", "/subjects/" + subject, null);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("[1]");
        assertThat(send(asAdmin(), "GET", "/subjects", null).body()).doesNotContain(subject);
    }

    @Test
    void aTwoMegabyteBodyIsRefused() throws Exception {
        HttpResponse<String> sized = sendBody(BodyPublishers.ofByteArray(hugeRegistration()));

        assertThat(sized.statusCode()).as(sized.body()).isEqualTo(413);
        assertThat(errorBody(sized)).isEqualTo(Map.of("error_code", 413,
                "message", "Request body is larger than the limit of 1048576 bytes"));
        assertRegistryServes();
    }

    /**
     * The registry answers a body declared over the limit from its headers: the client has sent 1 KB of the 2 MB
     * it announced and reads the refusal, which a registry reading up to the limit first would never send.
     */
    @Test
    void aBodyDeclaredOverTheLimitIsRefusedBeforeItArrives() throws Exception {
        RawResponse refused = sendPart("Content-Length: " + TWO_MB, new byte[1024]);

        assertThat(refused.statusLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        assertThat(JSON.readTree(refused.body()).path("message").asText())
                .isEqualTo("Request body is larger than the limit of 1048576 bytes");
        assertRegistryServes();
    }

    /**
     * A chunked body is read up to the limit and no further: the client has sent one chunk just over 1 MB, and
     * not the chunk that would end the body, and reads the refusal, which a registry reading the whole body first
     * would never send.
     */
    @Test
    void aChunkedBodyIsRefusedOnceItPassesTheLimit() throws Exception {
        int chunkSize = 1024 * 1024 + 1024;
        byte[] chunkHeader = (Integer.toHexString(chunkSize) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = Arrays.copyOf(chunkHeader, chunkHeader.length + chunkSize + 2);
        Arrays.fill(chunk, chunkHeader.length, chunkHeader.length + chunkSize, (byte) ' ');
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';

        RawResponse refused = sendPart("Transfer-Encoding: chunked", chunk);

        assertThat(refused.statusLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        assertThat(JSON.readTree(refused.body()).path("message").asText())
                .isEqualTo("Request body is larger than the limit of 1048576 bytes");
        assertRegistryServes();
    }

    /** Sends a registration's headers, with {@code framing}, and the first part of its body; reads the answer. */
    private static RawResponse sendPart(String framing, byte[] part) throws Exception {
        URI url = URI.create(platform.schemaRegistryUrl());
        try (Socket socket = SecurePlatformLogins.trustingThePlatform(dir.resolve("data")).getSocketFactory()
                .createSocket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /subjects/" + newSubject() + "/versions HTTP/1.1\r\n"
                    + "Host: " + url.getAuthority() + "\r\n"
                    + "Authorization: " + asAdmin() + "\r\n"
                    + "Content-Type: application/vnd.schemaregistry.v1+json\r\n"
                    + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.flush();
            return RawResponse.read(socket.getInputStream());
        }
    }

    @Test
    void aChunkedTwoMegabyteBodyIsRefusedAtTheLimit() throws Exception {
        byte[] body = hugeRegistration();
        HttpResponse<String> chunked = sendBody(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(chunked.request().bodyPublisher().orElseThrow().contentLength())
                .as("sent without a length, in chunks").isNegative();
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(errorBody(chunked)).isEqualTo(Map.of("error_code", 413,
                "message", "Request body is larger than the limit of 1048576 bytes"));
        assertRegistryServes();
    }

    /** The status line and body of one HTTP/1.1 response with a Content-Length. */
    private record RawResponse(String statusLine, String body) {
        static RawResponse read(InputStream in) throws Exception {
            String statusLine = line(in);
            int length = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).trim());
                }
            }
            return new RawResponse(statusLine, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws Exception {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("the connection closed mid-response after: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    private static void assertRegistryServes() throws Exception {
        String subject = newSubject();
        register(asAdmin(), subject);
        assertThat(send(asAdmin(), "GET", "/subjects", null).body()).contains(subject);
    }

    /** A registration of a valid schema whose doc string makes the body 2 MB. */
    private static byte[] hugeRegistration() throws Exception {
        char[] doc = new char[TWO_MB];
        Arrays.fill(doc, 'x');
        String schema = "{\"type\":\"record\",\"name\":\"" + newRecordName() + "\",\"doc\":\"" + new String(doc)
                + "\",\"fields\":[]}";
        return JSON.writeValueAsBytes(Map.of("schema", schema));
    }

    private static HttpResponse<String> sendBody(BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + "/subjects/"
                        + newSubject() + "/versions")).timeout(Duration.ofSeconds(30))
                .header("Authorization", asAdmin())
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(body).build(), BodyHandlers.ofString());
    }

    private static int register(String authorization, String subject) throws Exception {
        return register(authorization, subject, newRecordName());
    }

    private static int register(String authorization, String subject, String recordName) throws Exception {
        HttpResponse<String> registered = send(authorization, "POST", "/subjects/" + subject + "/versions",
                schemaBody(recordName));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        return JSON.readTree(registered.body()).path("id").asInt();
    }

    private static HttpResponse<String> send(String authorization, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private static Map<String, Object> errorBody(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        return Map.of("error_code", body.path("error_code").asInt(), "message", body.path("message").asText());
    }

    private static String schemaBody(String recordName) throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"" + recordName + "\",\"fields\":[]}";
        return JSON.writeValueAsString(Map.of("schema", schema));
    }

    private static String asAdmin() {
        return basic(AdminSecret.ADMIN_USER, adminPassword);
    }

    private static String newSubject() {
        return "attack-" + UUID.randomUUID() + "-value";
    }

    private static String newRecordName() {
        return "R" + UUID.randomUUID().toString().replace("-", "");
    }
}
