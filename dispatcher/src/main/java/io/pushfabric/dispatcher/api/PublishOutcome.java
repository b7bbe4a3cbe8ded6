package io.pushfabric.dispatcher.api;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;

/**
 * What became of one request of a publish: acknowledged by Kafka at a position, or not, and why.
 *
 * @param position where the request is in {@code push-requests}; null when it failed
 * @param failure  null when published; otherwise a {@link RequestPublisher.PublishFailedException}'s message
 * @param tooLarge true when Kafka refused the record as too large (413) rather than being unavailable (503)
 */
record PublishOutcome(PushRequest request, MessagePosition position, String failure, boolean tooLarge) {

    static PublishOutcome published(PushRequest request, MessagePosition position) {
        return new PublishOutcome(request, position, null, false);
    }

    static PublishOutcome failed(PushRequest request, String failure, boolean tooLarge) {
        return new PublishOutcome(request, null, failure, tooLarge);
    }

    boolean ok() {
        return position != null;
    }
}
