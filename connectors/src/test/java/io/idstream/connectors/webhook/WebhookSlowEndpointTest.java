package io.idstream.connectors.webhook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Endpoints that answer slowly on purpose, to hold the sink's task: each read arrives within the read timeout, or the
 * endpoint never reads at all. The client's timeout bounds the whole exchange either way.
 */
@Timeout(60)
class WebhookSlowEndpointTest {
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    final ExecutorService endpoint = Executors.newCachedThreadPool();
    final List<Socket> accepted = new CopyOnWriteArrayList<>();
    ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        endpoint.shutdownNow();
        for (Socket socket : accepted) {
            socket.close();
        }
        server.close();
    }

    @Test
    void aTlsHandshakeSentAByteAtATimeEndsAtTheTimeout() throws Exception {
        // A handshake record's header announcing 16 KiB, then one byte of it every 100 ms: every read of the
        // client is answered in time, and the record would take half an hour to arrive.
        listen(socket -> {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
            out.flush();
            while (!socket.isClosed()) {
                out.write(0x01);
                out.flush();
                Thread.sleep(100);
            }
        });
        WebhookHttpClient client = client();

        long start = System.nanoTime();
        // Preemptive: a client without the defence blocks in a socket call, which no interrupt ends.
        assertTimeoutPreemptively(TIMEOUT.multipliedBy(10), () -> assertThatThrownBy(
                () -> client.post(url("https"), Map.of(), new byte[0]))
                .isInstanceOf(HttpTimeoutException.class).hasMessage("request timed out"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(5));
    }

    @Test
    void anEndpointThatNeverReadsTheBodyEndsAtTheTimeout() throws Exception {
        listen(socket -> new CountDownLatch(1).await());
        WebhookHttpClient client = client();
        // Far more than the loopback socket buffers hold, so the write blocks until someone reads.
        byte[] body = new byte[64 * 1024 * 1024];

        long start = System.nanoTime();
        // Preemptive: a client without the defence blocks in a socket call, which no interrupt ends.
        assertTimeoutPreemptively(TIMEOUT.multipliedBy(10), () -> assertThatThrownBy(
                () -> client.post(url("http"), Map.of(), body))
                .isInstanceOf(HttpTimeoutException.class).hasMessage("request timed out"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(5));
    }

    @Test
    void aNameThatTakesForeverToResolveEndsAtTheTimeout() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CountDownLatch answered = new CountDownLatch(1);
        // The endpoint's own name server, which holds every lookup of the webhook's name.
        HostResolver stalling = host -> {
            try {
                answered.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(InetAddress.getLoopbackAddress());
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        WebhookHttpClient client = new WebhookHttpClient(stalling, new WebhookAddressPolicy(false), TIMEOUT,
                tls.getSocketFactory());

        long start = System.nanoTime();
        try {
            assertTimeoutPreemptively(TIMEOUT.multipliedBy(10), () -> assertThatThrownBy(
                    () -> client.post(url("http"), Map.of(), new byte[0]))
                    .isInstanceOf(HttpTimeoutException.class).hasMessage("request timed out"));
        } finally {
            answered.countDown();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(5));
    }

    private WebhookHttpClient client() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        return new WebhookHttpClient(host -> List.of(InetAddress.getLoopbackAddress()), new WebhookAddressPolicy(false),
                TIMEOUT, tls.getSocketFactory());
    }

    private URI url(String scheme) {
        return URI.create(scheme + "://localhost:" + server.getLocalPort() + "/hooks/idstream");
    }

    private void listen(Endpoint behaviour) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        endpoint.submit(() -> {
            try (Socket socket = server.accept()) {
                accepted.add(socket);
                behaviour.serve(socket);
            } catch (IOException | InterruptedException e) {
                // The client closed the connection, or the test is over.
            }
            return null;
        });
    }

    @FunctionalInterface
    private interface Endpoint {
        void serve(Socket socket) throws IOException, InterruptedException;
    }
}
