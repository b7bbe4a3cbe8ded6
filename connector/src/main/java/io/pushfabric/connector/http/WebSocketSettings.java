package io.pushfabric.connector.http;

import io.pushfabric.contracts.config.Env;
import java.time.Duration;

/**
 * @param host           {@code PUSH_HOST} (default 0.0.0.0)
 * @param port           {@code PUSH_PORT} (default 8080; 0 picks a free port)
 * @param sendQueueLimit {@code PUSH_SEND_QUEUE_LIMIT} (default 1000): frames queued for one client before it
 *                       is closed as too slow (4000)
 * @param idleTimeout    {@code PUSH_IDLE_TIMEOUT_MS} (default 60000): a connection on which the client sent
 *                       nothing (not even a pong) for this long is closed with 4004, checked at each ping
 * @param pingInterval   {@code PUSH_PING_INTERVAL_MS} (default 20000): server WebSocket pings, which keep
 *                       proxies from timing out and make dead peers visible
 * @param ioThreads      {@code PUSH_IO_THREADS} (default: number of cores)
 */
public record WebSocketSettings(String host, int port, int sendQueueLimit, Duration idleTimeout,
                                Duration pingInterval, int ioThreads) {
    public WebSocketSettings {
        // A client that only answers pings was last heard up to one ping interval ago at each check.
        if (idleTimeout.compareTo(pingInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("PUSH_IDLE_TIMEOUT_MS (" + idleTimeout.toMillis()
                    + ") must be at least twice PUSH_PING_INTERVAL_MS (" + pingInterval.toMillis()
                    + "), or clients that answer every ping are dropped as idle");
        }
    }

    public static WebSocketSettings fromEnv(Env env) {
        return new WebSocketSettings(env.string("PUSH_HOST", "0.0.0.0"), env.integer("PUSH_PORT", 8080, 0, 65535),
                env.integer("PUSH_SEND_QUEUE_LIMIT", 1000, 1, 1_000_000),
                env.millis("PUSH_IDLE_TIMEOUT_MS", Duration.ofSeconds(60), Duration.ofSeconds(1)),
                env.millis("PUSH_PING_INTERVAL_MS", Duration.ofSeconds(20), Duration.ofMillis(100)),
                env.integer("PUSH_IO_THREADS", Runtime.getRuntime().availableProcessors(), 1, 256));
    }
}
