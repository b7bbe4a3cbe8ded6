package io.pushfabric.connector.kafka;

import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.config.Env;
import java.time.Duration;

/**
 * Bounds on replay, so a reconnect storm stays cheap.
 *
 * @param maxMessages {@code PUSH_REPLAY_MAX_MESSAGES} (default 10000): more missed messages than this and the
 *                    client is told {@code recovered:false, reason:"replay_limit"}
 * @param maxSpan     {@code PUSH_REPLAY_MAX_SPAN} (default 2000000): a cursor further back than this many offsets
 *                    in a partition is refused the same way, before anything is read
 * @param workers     {@code PUSH_REPLAY_WORKERS} (default 2): scanning threads, each with its own consumer
 * @param scanTimeout {@code PUSH_REPLAY_SCAN_TIMEOUT_MS} (default 10000): a scan that cannot reach its end
 *                    offset within this time fails with {@code reason:"replay_timeout"}
 * @param maxPayloadBytes {@code PUSH_MAX_PAYLOAD_BYTES} (default 65536): must be the dispatchers' value, so
 *                    replay accepts exactly what live delivery accepted
 * @param windowBytes {@code PUSH_REPLAY_WINDOW_BYTES} (default 33554432, 32 MiB): the most that the
 *                    {@link ReplayWindow} keeps of what replays read, for all partitions together; 0 keeps nothing
 */
public record ReplaySettings(int maxMessages, long maxSpan, int workers, Duration scanTimeout, int maxPayloadBytes,
                             long windowBytes) {
    public static ReplaySettings fromEnv(Env env) {
        return new ReplaySettings(env.integer("PUSH_REPLAY_MAX_MESSAGES", 10_000, 1, 10_000_000),
                env.integer("PUSH_REPLAY_MAX_SPAN", 2_000_000, 1, Integer.MAX_VALUE),
                env.integer("PUSH_REPLAY_WORKERS", 2, 1, 64),
                env.millis("PUSH_REPLAY_SCAN_TIMEOUT_MS", Duration.ofSeconds(10), Duration.ofMillis(100)),
                env.integer("PUSH_MAX_PAYLOAD_BYTES", PushRequestCodec.DEFAULT_MAX_PAYLOAD_BYTES, 1, 16 * 1024 * 1024),
                env.integer("PUSH_REPLAY_WINDOW_BYTES", 32 * 1024 * 1024, 0, 1024 * 1024 * 1024));
    }
}
