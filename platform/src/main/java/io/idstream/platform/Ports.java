package io.idstream.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

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

    /** Fails with a message naming {@code option} when {@code port} cannot be bound on 127.0.0.1. */
    public static void requireFree(int port, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new PlatformException("port " + port + " on 127.0.0.1 is already in use (" + option + ")");
        }
    }
}
