package io.idstream.connectors.webhook;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sink's HTTP/1.1 client, one connection per POST. It resolves the webhook's host itself, through a
 * {@link HostResolver}, and connects only to an address the {@link WebhookAddressPolicy} allows: the rule holds for
 * the address each connection actually goes to, whatever the name resolved to before (DNS rebinding). The host name
 * still goes into the Host header, the TLS server name and the certificate check. Of the answer it reads at most
 * {@link #MAX_ANSWER_BYTES}, whatever its Content-Length or chunks say, and nothing of a 2xx's body; everything,
 * from looking up the host to the last byte read, fits in the timeout. A redirect is an answer like any other: never
 * followed.
 *
 * <p>A socket's read timeout bounds each read, not a whole exchange, and no write: an endpoint that sends its TLS
 * handshake a byte at a time, or never reads the body, would hold the sink's task for ever. So the socket is closed
 * when the timeout ends, whatever the client is doing then.
 */
final class WebhookHttpClient {
    /** All the sink ever reads of an answer: status line, headers and the start of the body, to say why it refused. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private static final ScheduledExecutorService DEADLINES = deadlines();
    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "idstream-webhook-lookups");
        thread.setDaemon(true);
        return thread;
    });

    /** The endpoint's status, and what was read of its body (nothing for a 2xx). */
    record Answer(int status, String body) {
    }

    /** The address rule refused every address the webhook's host resolved to: no connection was made. */
    static final class RefusedAddressException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedAddressException(String message) {
            super(message);
        }
    }

    private final HostResolver resolver;
    private final WebhookAddressPolicy policy;
    private final Duration timeout;
    private final SSLSocketFactory tls;

    WebhookHttpClient(HostResolver resolver, WebhookAddressPolicy policy, Duration timeout, SSLSocketFactory tls) {
        this.resolver = resolver;
        this.policy = policy;
        this.timeout = timeout;
        this.tls = tls;
    }

    /** POSTs {@code body} with {@code headers} (Host, Content-Length and Connection are added) to {@code url}. */
    Answer post(URI url, Map<String, String> headers, byte[] body) throws IOException, RefusedAddressException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        try (Socket socket = connect(url.getScheme(), host, port, deadline)) {
            ScheduledFuture<?> closeAtDeadline = DEADLINES.schedule(() -> closeQuietly(socket),
                    deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            try {
                Socket channel = https ? handshake(socket, host, port, deadline) : socket;
                OutputStream out = channel.getOutputStream();
                out.write(head(url, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return read(new AnswerInput(channel, deadline));
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new HttpTimeoutException("request timed out");
                }
                throw e;
            } finally {
                closeAtDeadline.cancel(false);
            }
        }
    }

    /**
     * The host's addresses, looked up within the timeout: whoever runs the webhook's name servers could otherwise
     * hold every attempt for as long as the system's resolver waits. A lookup cannot be interrupted; one that
     * outlives its POST ends on its own thread.
     */
    private List<InetAddress> resolveInTime(String host, long deadline) throws IOException {
        Future<List<InetAddress>> lookup = LOOKUPS.submit(() -> resolver.resolve(host));
        try {
            return lookup.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new HttpTimeoutException("request timed out");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot resolve " + host + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while resolving " + host);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is wanted; the thread using the socket sees the failure.
        }
    }

    private static ScheduledExecutorService deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "idstream-webhook-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private Socket connect(String scheme, String host, int port, long deadline)
            throws IOException, RefusedAddressException {
        List<InetAddress> addresses = resolveInTime(host, deadline);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host + ": no address");
        }
        String refused = null;
        IOException failure = null;
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(scheme, address);
            if (refusal.isPresent()) {
                refused = refused != null ? refused
                        : host + " resolves to " + address.getHostAddress() + ": " + refusal.get();
                continue;
            }
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
                return socket;
            } catch (SocketTimeoutException e) {
                socket.close();
                failure = new HttpConnectTimeoutException("HTTP connect timed out");
            } catch (IOException e) {
                socket.close();
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        throw new RefusedAddressException(refused);
    }

    private Socket handshake(Socket socket, String host, int port, long deadline) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        // The certificate must name the URL's host, not the address connected to.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(remainingMillis(deadline));
        try {
            ssl.startHandshake();
        } catch (SocketTimeoutException e) {
            throw new HttpTimeoutException("request timed out");
        }
        return ssl;
    }

    private static String head(URI url, Map<String, String> headers, int contentLength) {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        StringBuilder head = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(url.getRawAuthority().replaceFirst("^.*@", "")).append("\r\n");
        headers.forEach((name, value) -> {
            if ((name + value).indexOf('\r') >= 0 || (name + value).indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " has a line break");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        return head.append("Content-Length: ").append(contentLength).append("\r\n")
                .append("Connection: close\r\n\r\n").toString();
    }

    private static Answer read(AnswerInput in) throws IOException {
        int status;
        Map<String, String> headers;
        do {
            String statusLine = in.line();
            if (statusLine == null) {
                throw new IOException("the webhook closed the connection without an answer");
            }
            status = status(statusLine);
            headers = headers(in);
        } while (status / 100 == 1);
        if (status / 100 == 2) {
            return new Answer(status, "");
        }
        return new Answer(status, body(in, headers));
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[1-9][0-9]{2}")) {
            throw new IOException("the webhook's answer is not HTTP: "
                    + (line.length() > 40 ? line.substring(0, 40) + "..." : line));
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, String> headers(AnswerInput in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (String line = in.line(); line != null && !line.isEmpty(); line = in.line()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    /** As much of the body as the cap and the time leave; it only serves to say why the endpoint refused. */
    private static String body(AnswerInput in, Map<String, String> headers) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                for (String size = in.line(); size != null; size = in.line()) {
                    long length = Long.parseLong(size.split(";", 2)[0].strip(), 16);
                    if (length <= 0 || !in.copy(body, length)) {
                        break;
                    }
                    in.line();
                }
            } else if (headers.containsKey("content-length")) {
                in.copy(body, Long.parseLong(headers.get("content-length")));
            } else {
                in.copy(body, Long.MAX_VALUE);
            }
        } catch (IOException | NumberFormatException e) {
            // What arrived before is enough to say why.
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static int remainingMillis(long deadline) throws HttpTimeoutException {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            throw new HttpTimeoutException("request timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    /** The answer's bytes, never more than {@link #MAX_ANSWER_BYTES} taken from the socket, each read in time. */
    private static final class AnswerInput {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;
        private int taken;

        AnswerInput(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        /** The next byte, or -1 at the end of the answer or of the cap. */
        int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        /** The next line without its CRLF, or null if the answer or the cap ended first. */
        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = read(); b != '\n'; b = read()) {
                if (b == -1) {
                    return null;
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        /** Copies up to {@code length} bytes; false if the answer or the cap ended first. */
        boolean copy(ByteArrayOutputStream to, long length) throws IOException {
            for (long i = 0; i < length; i++) {
                int b = read();
                if (b == -1) {
                    return false;
                }
                to.write(b);
            }
            return true;
        }

        private boolean fill() throws IOException {
            if (taken >= MAX_ANSWER_BYTES) {
                return false;
            }
            socket.setSoTimeout(remainingMillis(deadline));
            int n;
            try {
                n = in.read(buffer, 0, Math.min(buffer.length, MAX_ANSWER_BYTES - taken));
            } catch (SocketTimeoutException e) {
                throw new HttpTimeoutException("request timed out");
            }
            if (n <= 0) {
                return false;
            }
            taken += n;
            position = 0;
            limit = n;
            return true;
        }
    }
}
