package io.pushfabric.contracts.receipts;

import io.pushfabric.contracts.config.Env;
import java.time.Duration;
import java.util.Objects;

/**
 * Receipts, read the same way by dispatchers and connectors (docs/operations.md, Receipts).
 *
 * @param mode       {@code PUSH_RECEIPTS} (default {@code requested}): which requests get receipts
 * @param topic      {@code PUSH_TOPIC_RECEIPTS} (default {@code push-receipts})
 * @param queueLimit {@code PUSH_RECEIPTS_QUEUE_LIMIT} (default 100000): receipts waiting for Kafka in one process;
 *                   past it new ones are dropped and counted
 * @param ackWindow  {@code PUSH_RECEIPTS_ACK_WINDOW} (default 256): per session, how many of the latest pushes
 *                   with receipts on a client may still acknowledge
 * @param retention  {@code PUSH_RECEIPTS_RETENTION_MS} (default 86400000): retention of the topic when a service
 *                   creates it
 */
public record ReceiptSettings(ReceiptMode mode, String topic, int queueLimit, int ackWindow, Duration retention) {
    public ReceiptSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(retention, "retention");
    }

    public static ReceiptSettings fromEnv(Env env) {
        return new ReceiptSettings(
                ReceiptMode.parse("PUSH_RECEIPTS", env.string("PUSH_RECEIPTS", "requested")),
                env.string("PUSH_TOPIC_RECEIPTS", "push-receipts"),
                env.integer("PUSH_RECEIPTS_QUEUE_LIMIT", 100_000, 1, 10_000_000),
                env.integer("PUSH_RECEIPTS_ACK_WINDOW", 256, 1, 100_000),
                env.millis("PUSH_RECEIPTS_RETENTION_MS", Duration.ofDays(1), Duration.ofMinutes(1)));
    }

    public boolean enabled() {
        return mode != ReceiptMode.OFF;
    }
}
