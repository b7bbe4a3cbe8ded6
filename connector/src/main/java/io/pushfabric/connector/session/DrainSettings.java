package io.pushfabric.connector.session;

import io.pushfabric.contracts.config.Env;
import java.time.Duration;

/**
 * @param window      {@code PUSH_DRAIN_WINDOW_MS} (default 10000): on SIGTERM or a drain-node command, client
 *                    reconnects are spread at random over this window
 * @param maxLifetime {@code PUSH_MAX_CONNECTION_LIFETIME_MS} (default 0 = unlimited): connections older than
 *                    this, minus up to 20 % jitter, are asked to reconnect (4003), so load rebalances over time
 */
public record DrainSettings(Duration window, Duration maxLifetime) {
    public static DrainSettings fromEnv(Env env) {
        return new DrainSettings(env.millis("PUSH_DRAIN_WINDOW_MS", Duration.ofSeconds(10), Duration.ZERO),
                env.millis("PUSH_MAX_CONNECTION_LIFETIME_MS", Duration.ZERO, Duration.ZERO));
    }
}
