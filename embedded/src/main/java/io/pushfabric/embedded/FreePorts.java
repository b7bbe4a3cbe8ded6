package io.pushfabric.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds TCP ports on the loopback interface.
 *
 * <p>A picked port is free at the moment it is returned; another process could take it before the
 * caller binds it. On a developer machine or a CI runner that race is rare enough to accept.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** Returns a port on 127.0.0.1 that the kernel reported as free. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port", e);
        }
    }

    /** Whether {@code port} can be bound on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 1..65535 but was " + port);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
