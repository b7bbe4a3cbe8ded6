package io.pushfabric.registry;

import java.util.UUID;

/**
 * One holding of a node's lease. A node draws a fresh token every time its lease is created anew, so a
 * renewal can tell "still my lease" from "a lease that lapsed and was re-created meanwhile", even when the
 * answer of the renewal that re-created it never reached the node.
 */
public record LeaseToken(String value) {
    public LeaseToken {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("lease token must not be blank, was '" + value + "'");
        }
    }

    public static LeaseToken random() {
        return new LeaseToken(UUID.randomUUID().toString());
    }
}
