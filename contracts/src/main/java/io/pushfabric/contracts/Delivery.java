package io.pushfabric.contracts;

import java.util.Objects;

/**
 * One message on its way to one connector node: the push request and its identity in
 * {@code push-requests}. Carried on {@code push.node.<nodeId>}, keyed by the routing key.
 */
public record Delivery(MessagePosition position, PushRequest request) {
    public Delivery {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(request, "request");
    }
}
