package io.pushfabric.connector.session;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link MarkerLog} that answers with a chosen position, at once or when the test completes
 * {@link #pending()}.
 */
final class FakeMarkerLog implements MarkerLog {
    private final List<UserId> written = new ArrayList<>();
    private CompletableFuture<MessagePosition> next;

    /** Every marker is acknowledged at once at {@code position}. */
    static FakeMarkerLog at(MessagePosition position) {
        FakeMarkerLog log = new FakeMarkerLog();
        log.next = CompletableFuture.completedFuture(position);
        return log;
    }

    /** The marker is acknowledged when the test completes {@link #pending()}. */
    static FakeMarkerLog pendingUntilCompleted() {
        FakeMarkerLog log = new FakeMarkerLog();
        log.next = new CompletableFuture<>();
        return log;
    }

    CompletableFuture<MessagePosition> pending() {
        return next;
    }

    @Override
    public synchronized CompletableFuture<MessagePosition> sessionOpened(UserId user) {
        written.add(user);
        return next;
    }

    @Override
    public synchronized CompletableFuture<MessagePosition> subscriptionOpened(io.pushfabric.contracts.ChannelName channel) {
        return next;
    }

    synchronized List<UserId> written() {
        return List.copyOf(written);
    }
}
