package io.idstream.connectors.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client over TLS: it connects to the address its resolver gives, yet the server name it sends and the name the
 * certificate must carry are the URL's host, so that resolving a name itself costs none of HTTPS's checks.
 */
@Timeout(60)
class WebhookHttpClientTest {
    static final char[] PASSWORD = "changeit".toCharArray();
    static SSLContext tls;

    final List<String> hosts = new CopyOnWriteArrayList<>();
    HttpsServer server;

    /** A key and self-signed certificate for hook.test, made by the JDK's keytool. */
    @BeforeAll
    static void makeCertificate(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("hook.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hook", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=hook.test",
                "-ext", "SAN=dns:hook.test", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "refused".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void postsOverTlsToTheResolvedAddressWithTheUrlsHostForHostHeaderAndCertificate() throws Exception {
        WebhookHttpClient client = client(Map.of("hook.test", InetAddress.getLoopbackAddress()));

        WebhookHttpClient.Answer answer = client.post(url("hook.test"), Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer).isEqualTo(new WebhookHttpClient.Answer(401, "refused"));
        assertThat(hosts).containsExactly("hook.test:" + server.getAddress().getPort());
    }

    @Test
    void aCertificateForAnotherNameIsRefusedThoughTheAddressIsTheSame() {
        WebhookHttpClient client = client(Map.of("other.test", InetAddress.getLoopbackAddress()));

        assertThatThrownBy(() -> client.post(url("other.test"), Map.of(), new byte[0]))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("other.test");
        assertThat(hosts).isEmpty();
    }

    private WebhookHttpClient client(Map<String, InetAddress> dns) {
        HostResolver resolver = host -> {
            InetAddress address = dns.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return List.of(address);
        };
        return new WebhookHttpClient(resolver, new WebhookAddressPolicy(false), Duration.ofSeconds(10),
                tls.getSocketFactory());
    }

    private URI url(String host) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + "/hooks/idstream");
    }
}
