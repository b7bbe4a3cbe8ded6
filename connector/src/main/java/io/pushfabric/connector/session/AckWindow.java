package io.pushfabric.connector.session;

import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.RoutingKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest pushes with receipts on that one session was sent and its client has not acknowledged yet, at most
 * {@code capacity} of them: the oldest is forgotten when a new one comes, so a client that never acknowledges
 * costs a bounded amount of memory. Each can be taken once; an unknown or repeated acknowledgement finds nothing.
 * Not thread-safe: the session guards it.
 */
final class AckWindow {
    /** What an {@code acked} receipt needs of the push. */
    record Ackable(MessagePosition position, String key, String messageId) {
    }

    private final Map<MessagePosition, Ackable> open;

    AckWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.open = new LinkedHashMap<>(Math.min(capacity, 16) * 2, 0.75f) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessagePosition, Ackable> eldest) {
                return size() > capacity;
            }
        };
    }

    void remember(Delivery delivery) {
        open.putIfAbsent(delivery.position(), new Ackable(delivery.position(), RoutingKeys.of(delivery.request()),
                delivery.request().messageId()));
    }

    Optional<Ackable> take(MessagePosition position) {
        return Optional.ofNullable(open.remove(position));
    }
}
