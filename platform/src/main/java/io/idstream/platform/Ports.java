package io.idstream.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.stream.IntStream;

/** Loopback port checks, so that a port in use fails with a clear message before any server half-starts. */
public final class Ports {
    private Ports() {
    }

    /** A port on 127.0.0.1 that is free now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PlatformException("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** The first of {@code count} consecutive ports on 127.0.0.1 that are all free now. */
    public static int freeConsecutivePorts(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = freePort();
            if (first + count - 1 <= 65535 && IntStream.range(first + 1, first + count)
                    .allMatch(Ports::isFree)) {
                return first;
            }
        }
        throw new PlatformException("cannot find " + count + " consecutive free ports on 127.0.0.1");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails with a message naming {@code option} when {@code port} cannot be bound on 127.0.0.1. */
    public static void requireFree(int port, String option) {
        if (!isFree(port)) {
            throw new PlatformException("port " + port + " on 127.0.0.1 is already in use (" + option + ")");
        }
    }
}
