package io.idstream.it.attacks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook endpoint on 127.0.0.1 written on a bare socket, so that a test sees what the HTTP layer hides: every
 * connection accepted, and how many bytes of its answer the client let it write. It reads each POST whole, then
 * answers {@code status} with a body of {@code bodyBytes} zeros, by Content-Length or in 64 KiB chunks, and stops
 * writing as soon as the client goes away.
 */
final class RawHttpEndpoint implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final ServerSocket server;
    private final int status;
    private final long bodyBytes;
    private final boolean chunked;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger answersFinished = new AtomicInteger();
    private final AtomicLong bodyBytesWritten = new AtomicLong();
    private final Thread acceptor;

    private RawHttpEndpoint(int status, long bodyBytes, boolean chunked) throws IOException {
        this.status = status;
        this.bodyBytes = bodyBytes;
        this.chunked = chunked;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptAll, "raw-http-endpoint");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every POST with {@code status} and a short body. */
    static RawHttpEndpoint answering(int status) throws IOException {
        return new RawHttpEndpoint(status, 2, false);
    }

    /** Answers every POST with {@code status} and a body of {@code bodyBytes}, announced or chunked. */
    static RawHttpEndpoint answeringWithBody(int status, long bodyBytes, boolean chunked) throws IOException {
        return new RawHttpEndpoint(status, bodyBytes, chunked);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far, whatever came of them. */
    int connections() {
        return connections.get();
    }

    /** Answers that ended, written whole or cut off by the client. */
    int answersFinished() {
        return answersFinished.get();
    }

    /** Body bytes of all answers that the client's side of the connection took in. */
    long bodyBytesWritten() {
        return bodyBytesWritten.get();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread answer = new Thread(() -> answer(socket), "raw-http-answer");
                answer.setDaemon(true);
                answer.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        try (socket) {
            // Small send buffers, so that what the client did not read stays mostly in its own receive buffer.
            socket.setSendBufferSize(CHUNK);
            readRequest(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String head = "HTTP/1.1 " + status + " Answered\r\n" + "Content-Type: text/plain\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bodyBytes + "\r\n")
                    + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] zeros = new byte[CHUNK];
            Arrays.fill(zeros, (byte) '0');
            for (long left = bodyBytes; left > 0; ) {
                int n = (int) Math.min(CHUNK, left);
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(zeros, 0, n);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                bodyBytesWritten.addAndGet(n);
                left -= n;
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException e) {
            // The client hung up: what it did not take in is what this endpoint never wrote.
        } finally {
            answersFinished.incrementAndGet();
        }
    }

    /** Reads the request head and its Content-Length of body, so the client's write never blocks on us. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes((int) length);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
