package io.pushfabric.connector.session;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.UserId;
import java.util.concurrent.CompletableFuture;

/** Appends a {@code session-opened} marker to the user's partition of {@code push-requests}. */
public interface MarkerLog {
    /** Completes with the marker's position once Kafka has acknowledged it. */
    CompletableFuture<MessagePosition> sessionOpened(UserId user);
}
