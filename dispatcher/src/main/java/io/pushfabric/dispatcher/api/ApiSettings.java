package io.pushfabric.dispatcher.api;

import io.pushfabric.contracts.config.ConfigException;
import io.pushfabric.contracts.config.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP publish and presence API of a dispatcher (docs/http-api.md). Off unless {@code PUSH_API_PORT} is set;
 * when it is, {@code PUSH_API_KEYS} is required.
 *
 * @param host             {@code PUSH_API_HOST} (default {@code 0.0.0.0}): the interface to bind
 * @param port             {@code PUSH_API_PORT} (unset: no API; 0 picks a free port)
 * @param keys             {@code PUSH_API_KEYS}: {@code name:scope[+scope]:sha256hex,...} ({@link ApiKeys})
 * @param maxBodyBytes     {@code PUSH_API_MAX_BODY_BYTES} (default 4 MiB): a larger body is answered 413
 * @param maxBatch         {@code PUSH_API_MAX_BATCH} (default 500): requests in one batch; more is answered 413
 * @param ratePerSecond    {@code PUSH_API_RATE_PER_SECOND} (default 1000): messages (and presence queries) per
 *                         second per key, refilled smoothly
 * @param burst            {@code PUSH_API_RATE_BURST} (default 2000): what one key may use at once; at least
 *                         {@code maxBatch}, so a full batch can pass
 * @param publishTimeout   {@code PUSH_API_PUBLISH_TIMEOUT_MS} (default 5000): how long a publish waits for Kafka's
 *                         acknowledgement before it is answered 503
 * @param threads          {@code PUSH_API_THREADS} (default 16): threads that read, check and answer calls; a
 *                         publish waiting for Kafka holds none
 * @param channelPresence  {@code PUSH_API_CHANNEL_PRESENCE_LIMIT} (default 100): users a channel presence answer
 *                         lists without {@code ?limit}; {@code PUSH_API_CHANNEL_PRESENCE_MAX_LIMIT} (default 1000):
 *                         the largest {@code ?limit} accepted
 */
public record ApiSettings(String host, int port, ApiKeys keys, int maxBodyBytes, int maxBatch, int ratePerSecond,
                          int burst, Duration publishTimeout, int threads, ChannelPresenceLimit channelPresence) {

    public ApiSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        Objects.requireNonNull(channelPresence, "channelPresence");
        if (burst < maxBatch) {
            throw new ConfigException("PUSH_API_RATE_BURST=" + burst + " must be at least PUSH_API_MAX_BATCH="
                    + maxBatch + ", or a full batch could never pass");
        }
    }

    /** The API's settings, or empty when {@code PUSH_API_PORT} is not set. */
    public static Optional<ApiSettings> fromEnv(Map<String, String> vars) {
        return fromEnv(new Env(vars), false);
    }

    /** For {@code pushfabric dev} only: accepts the public dev key. */
    public static Optional<ApiSettings> fromEnvInDevLauncher(Map<String, String> vars) {
        return fromEnv(new Env(vars), true);
    }

    private static Optional<ApiSettings> fromEnv(Env env, boolean allowDevKey) {
        if (env.optional("PUSH_API_PORT").isEmpty()) {
            return Optional.empty();
        }
        ApiKeys keys;
        try {
            keys = ApiKeys.parse(env.required("PUSH_API_KEYS"), allowDevKey);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("PUSH_API_KEYS: " + e.getMessage());
        }
        int maxLimit = env.integer("PUSH_API_CHANNEL_PRESENCE_MAX_LIMIT", 1_000, 1, 100_000);
        int defaultLimit = env.integer("PUSH_API_CHANNEL_PRESENCE_LIMIT", Math.min(100, maxLimit), 1, 100_000);
        if (defaultLimit > maxLimit) {
            throw new ConfigException("PUSH_API_CHANNEL_PRESENCE_LIMIT=" + defaultLimit
                    + " must not exceed PUSH_API_CHANNEL_PRESENCE_MAX_LIMIT=" + maxLimit);
        }
        return Optional.of(new ApiSettings(
                env.string("PUSH_API_HOST", "0.0.0.0"),
                env.integer("PUSH_API_PORT", 0, 0, 65_535),
                keys,
                env.integer("PUSH_API_MAX_BODY_BYTES", 4 * 1024 * 1024, 1024, 64 * 1024 * 1024),
                env.integer("PUSH_API_MAX_BATCH", 500, 1, 10_000),
                env.integer("PUSH_API_RATE_PER_SECOND", 1_000, 1, 10_000_000),
                env.integer("PUSH_API_RATE_BURST", 2_000, 1, 10_000_000),
                env.millis("PUSH_API_PUBLISH_TIMEOUT_MS", Duration.ofSeconds(5), Duration.ofMillis(100)),
                env.integer("PUSH_API_THREADS", 16, 1, 1_000),
                new ChannelPresenceLimit(defaultLimit, maxLimit)));
    }

    /** One line for the start-up log: key names and scopes, never hashes. */
    public String describe() {
        return "api=" + host + ":" + port + " keys=" + keys + " maxBodyBytes=" + maxBodyBytes + " maxBatch=" + maxBatch
                + " rate=" + ratePerSecond + "/s burst=" + burst + " publishTimeout=" + publishTimeout
                + " threads=" + threads + " channelPresenceLimit=" + channelPresence.defaultLimit() + "/"
                + channelPresence.max();
    }
}
