package io.pushfabric.dispatcher.api;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Appends a push request to {@code push-requests}, keyed by its routing key. The future completes with the
 * request's position once the log has it on every in-sync replica, or fails with a {@link PublishFailedException}.
 */
interface RequestPublisher {
    CompletableFuture<MessagePosition> publish(PushRequest request);

    /** Why Kafka did not take a request: too large for it, or not available now (retry later). */
    final class PublishFailedException extends RuntimeException {
        private final boolean tooLarge;

        PublishFailedException(boolean tooLarge, String message, Throwable cause) {
            super(message, cause);
            this.tooLarge = tooLarge;
        }

        boolean tooLarge() {
            return tooLarge;
        }
    }
}
