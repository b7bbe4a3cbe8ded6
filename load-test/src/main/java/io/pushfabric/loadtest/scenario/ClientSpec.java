package io.pushfabric.loadtest.scenario;

import io.pushfabric.loadtest.client.ReconnectPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the simulated clients behave.
 *
 * @param clients        how many (one user each)
 * @param transport      "undertow" (default) or "jdk"
 * @param ioThreads      I/O threads of the client library
 * @param sources        local source addresses to spread connections over (empty: the system's choice)
 * @param concurrency    first connects in flight at once
 * @param payloadBytes   approximate payload size of each published message
 * @param reconnect      backoff after a drop
 * @param welcomeTimeout a connection not welcomed in this time is dropped and retried
 */
public record ClientSpec(int clients, String transport, int ioThreads, List<InetAddress> sources, int concurrency,
                         int payloadBytes, ReconnectPolicy reconnect, Duration welcomeTimeout) {
    public ClientSpec {
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be >= 1, was " + clients);
        }
        if (!transport.equals("undertow") && !transport.equals("jdk")) {
            throw new IllegalArgumentException("--client must be undertow or jdk, was " + transport);
        }
        sources = List.copyOf(sources);
    }
}
