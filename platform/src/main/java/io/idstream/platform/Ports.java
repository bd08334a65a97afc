package io.idstream.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

    /**
     * {@code count} distinct ports on 127.0.0.1 that are free now, none of them in {@code taken}: every socket stays
     * open until all are chosen, since a port released at once may be handed out again by the next pick.
     */
    public static List<Integer> freePorts(int count, Collection<Integer> taken) {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            while (ports.size() < count) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                if (!taken.contains(socket.getLocalPort())) {
                    ports.add(socket.getLocalPort());
                }
            }
            return ports;
        } catch (IOException e) {
            throw new PlatformException("cannot find " + count + " free ports on 127.0.0.1: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // a socket that failed to close holds its port; the next bind says so
                }
            }
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
