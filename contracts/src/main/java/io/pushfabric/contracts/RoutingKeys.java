package io.pushfabric.contracts;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The rule every producer follows: the Kafka record key of a push request is the target user id, or
 * {@link #BROADCAST} for a broadcast. Kafka's default partitioner (murmur2 of the key) then puts every
 * message for one user into one partition, in publish order.
 */
public final class RoutingKeys {
    /** The fixed key of broadcast requests; no user may have this id. */
    public static final String BROADCAST = "*";

    private RoutingKeys() {
    }

    public static String of(PushRequest request) {
        return request.isBroadcast() ? BROADCAST : request.user().value();
    }

    /**
     * The partition a routing key belongs to: Kafka's default partitioner for a keyed record,
     * {@code toPositive(murmur2(utf8(key))) % partitions}. Replay and the dispatcher's partition check rely
     * on every producer agreeing with it.
     */
    public static int partition(String key, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
