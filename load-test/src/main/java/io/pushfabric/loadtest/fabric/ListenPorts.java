package io.pushfabric.loadtest.fabric;

import io.pushfabric.embedded.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Listening ports for the services of an own fabric, picked below the kernel's ephemeral range. The load
 * generator opens tens of thousands of outgoing connections, and a port picked from the ephemeral range (as
 * {@code FreePorts.pick()} does) can be taken by one of them, or sit in TIME_WAIT from the previous run,
 * before the service binds it.
 */
final class ListenPorts {
    private static final int LOWEST = 10_000;

    private ListenPorts() {
    }

    static int pick() {
        int below = ephemeralStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(LOWEST, below);
            if (FreePorts.isFree(port)) {
                return port;
            }
        }
        return FreePorts.pick();
    }

    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
