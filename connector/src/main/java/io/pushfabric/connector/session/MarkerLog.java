package io.pushfabric.connector.session;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.UserId;
import java.util.concurrent.CompletableFuture;

/**
 * Appends a {@code session-opened} marker to the user's partition of {@code push-requests}, or a
 * {@code subscription-opened} marker to a channel's.
 */
public interface MarkerLog {
    /** Completes with the marker's position once Kafka has acknowledged it. */
    CompletableFuture<MessagePosition> sessionOpened(UserId user);

    /** Completes with the marker's position once Kafka has acknowledged it; its offset + 1 is the subscription's fence. */
    CompletableFuture<MessagePosition> subscriptionOpened(ChannelName channel);
}
