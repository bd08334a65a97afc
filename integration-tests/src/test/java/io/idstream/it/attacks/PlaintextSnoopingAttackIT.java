package io.idstream.it.attacks;

import io.idstream.platform.AdminSecret;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.idstream.it.attacks.SecurePlatformLogins.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Attack: read the traffic between a client and a secure platform (a shared network, a capture on the host). Over
 * SASL_PLAINTEXT and plain HTTP a snooper reads every record, the Kafka user names, and the registry's and Connect's
 * basic-auth passwords, which are the users' Kafka passwords. A secure platform must speak TLS on every port it
 * serves, with a certificate of its own CA that clients check: a client without TLS is not served, one that does
 * not trust the platform's CA fails with a certificate error, and a snooper reads neither names nor passwords.
 */
@Timeout(240)
class PlaintextSnoopingAttackIT {
    /** Kafka's name of the truststore settings a secure platform's client properties carry. */
    private static final String TRUSTSTORE_LOCATION = "ssl.truststore.location";

    @TempDir
    static Path dir;
    static Platform platform;
    static String adminLogin;

    @BeforeAll
    static void start() throws Exception {
        platform = SecurePlatformLogins.start(dir.resolve("data"),
                Map.of(PlatformConfig.CONNECT_ENABLED, true, PlatformConfig.CONNECT_PORT, 0));
        adminLogin = basic(AdminSecret.ADMIN_USER, SecurePlatformLogins.adminPassword(dir.resolve("data")));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aSnooperOnTheKafkaConnectionReadsNoUserName() throws Exception {
        try (WireTap tap = new WireTap(port(platform.bootstrapServers()));
             Admin admin = Admin.create(operatorKafkaConfigs("127.0.0.1:" + tap.port()))) {
            String clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);

            assertThat(clusterId).as("the operator was served through the tap").isNotBlank();
            assertThat(tap.sentByClients()).as("what the operator's client sent, as a snooper reads it")
                    .isNotEmpty().doesNotContain(AdminSecret.ADMIN_USER);
        }
    }

    @Test
    void aSnooperOnTheRegistryConnectionReadsNoPassword() throws Exception {
        URI registry = URI.create(platform.schemaRegistryUrl());
        try (WireTap tap = new WireTap(registry.getPort())) {
            URI tapped = URI.create(registry.getScheme() + "://127.0.0.1:" + tap.port() + "/subjects");
            var response = trustingHttp().send(HttpRequest.newBuilder(tapped).header("Authorization", adminLogin)
                    .timeout(Duration.ofSeconds(30)).GET().build(), BodyHandlers.ofString());

            assertThat(response.statusCode()).as("the operator was served through the tap: " + response.body())
                    .isEqualTo(200);
            String sent = tap.sentByClients();
            assertThat(sent).as("what the operator's client sent, as a snooper reads it").isNotEmpty()
                    .doesNotContain(adminLogin.substring("Basic ".length())).doesNotContain("/subjects");
        }
    }

    @Test
    void aKafkaClientWithoutTlsIsNotServed() {
        Map<String, Object> plaintext = operatorKafkaConfigs(platform.bootstrapServers());
        plaintext.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        plaintext.keySet().removeIf(key -> key.startsWith("ssl."));
        giveUpWithinSeconds(plaintext);

        try (Admin admin = Admin.create(plaintext)) {
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .havingCause().isInstanceOf(TimeoutException.class);
        }
        try (Admin admin = Admin.create(giveUpWithinSeconds(operatorKafkaConfigs(platform.bootstrapServers())))) {
            assertThat(describeCluster(admin)).as("the same login over the platform's TLS is served").isNotBlank();
        }
    }

    @Test
    void aKafkaClientThatDoesNotTrustThePlatformsCaFailsOnTheCertificate() {
        Map<String, Object> untrusting = operatorKafkaConfigs(platform.bootstrapServers());
        untrusting.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        untrusting.keySet().removeIf(key -> key.startsWith("ssl."));
        giveUpWithinSeconds(untrusting);

        try (Admin admin = Admin.create(untrusting)) {
            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .havingRootCause().isInstanceOf(CertPathBuilderException.class);
        }
    }

    @Test
    void theRegistryAndConnectAnswerNoPlainHttp() throws Exception {
        for (URI endpoint : new URI[] {URI.create(platform.schemaRegistryUrl()), platform.connectUrl()}) {
            String answer = plainHttpGet(endpoint.getPort());

            assertThat(answer).as("a plain HTTP request to port " + endpoint.getPort()).doesNotStartWith("HTTP/");
            var overTls = trustingHttp().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + endpoint.getPort() + "/")).timeout(Duration.ofSeconds(30)).GET().build(), BodyHandlers.ofString());
            assertThat(overTls.statusCode()).as("the same port over the platform's TLS, without a login")
                    .isEqualTo(401);
        }
    }

    @Test
    void aClientThatDoesNotTrustThePlatformsCaCannotReachTheRegistryOrConnect() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (URI endpoint : new URI[] {URI.create(platform.schemaRegistryUrl()), platform.connectUrl()}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + endpoint.getPort()
                    + "/")).header("Authorization", adminLogin).timeout(Duration.ofSeconds(30)).GET().build();

            assertThatExceptionOfType(IOException.class).as("port " + endpoint.getPort())
                    .isThrownBy(() -> untrusting.send(request, BodyHandlers.ofString()))
                    .havingRootCause().isInstanceOf(CertPathBuilderException.class);
        }
    }

    /** The operator's Kafka settings, as a secure platform gives them to its clients, for this bootstrap. */
    private static Map<String, Object> operatorKafkaConfigs(String bootstrapServers) {
        Map<String, Object> configs = new HashMap<>();
        platform.clientProperties().forEach((key, value) -> {
            String name = (String) key;
            if (AdminClientConfig.configNames().contains(name) || name.startsWith("ssl.") || name.startsWith("sasl.")) {
                configs.put(name, value);
            }
        });
        configs.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return configs;
    }

    private static Map<String, Object> giveUpWithinSeconds(Map<String, Object> configs) {
        configs.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        configs.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6_000);
        return configs;
    }

    private static String describeCluster(Admin admin) {
        try {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the operator's own settings were not served: " + e, e);
        }
    }

    /** An HTTP client that trusts what the platform's client properties trust (the JDK's CAs if they name none). */
    private static HttpClient trustingHttp() throws Exception {
        String truststore = platform.clientProperties().getProperty(TRUSTSTORE_LOCATION);
        SSLContext context = SSLContext.getDefault();
        if (truststore != null) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(truststore))) {
                int index = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca-" + index++, certificate);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
        }
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Sends a plain HTTP GET on a bare socket and returns what comes back until the server closes or is silent. */
    private static String plainHttpGet(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            try {
                for (int read = socket.getInputStream().read(buffer); read >= 0;
                     read = socket.getInputStream().read(buffer)) {
                    answer.write(buffer, 0, read);
                }
            } catch (SocketTimeoutException | SocketException e) {
                // A silent or reset connection is no HTTP answer: what was read so far is the answer.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }
}
