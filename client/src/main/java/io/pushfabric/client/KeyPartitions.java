package io.pushfabric.client;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of {@code push-requests} a routing key belongs to: what Kafka's Java producer picks for a
 * keyed record, {@code toPositive(murmur2(utf8(key))) % partitions}. Per-user order, the session fences,
 * replay and the dispatcher's partition check all rely on every producer agreeing with it.
 */
public final class KeyPartitions {
    private KeyPartitions() {
    }

    public static int of(String routingKey, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(routingKey.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
