package io.pushfabric.loadtest.cli;

import io.pushfabric.loadtest.client.ReconnectPolicy;
import io.pushfabric.loadtest.scenario.ClientSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How the simulated clients connect and behave (the count is each command's own option). */
final class ClientOptions {
    @Option(names = "--client", defaultValue = "undertow", description = "WebSocket client library: undertow (XNIO,"
            + " can bind source addresses) or jdk (java.net.http). Default: ${DEFAULT-VALUE}.")
    String transport;

    @Option(names = "--io-threads", defaultValue = "0", description = "Client I/O threads (default: 2; 32 for storm,"
            + " where 10,000 connections close at once).")
    int ioThreads;

    @Option(names = "--source-addresses", paramLabel = "A[,B|A-B]", description = "Local source addresses to spread"
            + " connections over, e.g. 127.0.0.2-127.0.0.5: each gives its own ~28k ephemeral ports.")
    String sources;

    @Option(names = "--connect-concurrency", defaultValue = "500", description = "First connects in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--payload-bytes", defaultValue = "100", description = "Approximate payload size (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--backoff-base-ms", defaultValue = "500", description = "Reconnect backoff base; the n-th retry waits"
            + " rand(0, min(cap, base*2^n)) (default: ${DEFAULT-VALUE}).")
    long backoffBase;

    @Option(names = "--backoff-cap-ms", defaultValue = "20000", description = "Reconnect backoff cap (default: ${DEFAULT-VALUE}).")
    long backoffCap;

    @Option(names = "--welcome-timeout-s", defaultValue = "30", description = "A connection not welcomed in this time is"
            + " dropped (default: ${DEFAULT-VALUE}).")
    long welcomeTimeout;

    ClientSpec spec(int clients, int defaultIoThreads) {
        return new ClientSpec(clients, transport, ioThreads > 0 ? ioThreads : defaultIoThreads, addresses(sources),
                concurrency, payloadBytes,
                new ReconnectPolicy(Duration.ofMillis(backoffBase), Duration.ofMillis(backoffCap)),
                Duration.ofSeconds(welcomeTimeout));
    }

    /** "127.0.0.2-127.0.0.5,127.0.1.1" -> the addresses; IPv4 ranges vary the last octet. */
    static List<InetAddress> addresses(String text) {
        List<InetAddress> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        try {
            for (String part : text.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-');
                if (dash < 0) {
                    out.add(InetAddress.getByName(p));
                    continue;
                }
                byte[] from = InetAddress.getByName(p.substring(0, dash)).getAddress();
                byte[] to = InetAddress.getByName(p.substring(dash + 1)).getAddress();
                if (from.length != 4 || to.length != 4 || from[0] != to[0] || from[1] != to[1] || from[2] != to[2]) {
                    throw new IllegalArgumentException("range " + p + " must vary only the last IPv4 octet");
                }
                for (int last = from[3] & 0xff; last <= (to[3] & 0xff); last++) {
                    out.add(InetAddress.getByAddress(new byte[] {from[0], from[1], from[2], (byte) last}));
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad --source-addresses '" + text + "': " + e.getMessage(), e);
        }
        return out;
    }
}
