package io.pushfabric.connector.session;

import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A {@link ReplaySource} that records what it was asked and answers with what the test chose. */
final class FakeReplaySource implements ReplaySource {
    record Request(UserId user, Map<Integer, Range> ranges) {
    }

    private final List<Request> requests = new ArrayList<>();
    private final CompletableFuture<Result> answer;

    private FakeReplaySource(CompletableFuture<Result> answer) {
        this.answer = answer;
    }

    static FakeReplaySource complete(Delivery... deliveries) {
        return new FakeReplaySource(CompletableFuture.completedFuture(new Result.Complete(List.of(deliveries))));
    }

    static FakeReplaySource incomplete(String reason) {
        return new FakeReplaySource(CompletableFuture.completedFuture(new Result.Incomplete(reason)));
    }

    static FakeReplaySource failing(RuntimeException error) {
        return new FakeReplaySource(CompletableFuture.failedFuture(error));
    }

    /** Answers when the test completes {@link #answer()}, or never. */
    static FakeReplaySource pendingUntilCompleted() {
        return new FakeReplaySource(new CompletableFuture<>());
    }

    CompletableFuture<Result> answer() {
        return answer;
    }

    @Override
    public synchronized CompletableFuture<Result> replay(UserId user, Map<Integer, Range> ranges) {
        requests.add(new Request(user, Map.copyOf(ranges)));
        return answer;
    }

    @Override
    public synchronized CompletableFuture<Result> replayChannel(io.pushfabric.contracts.ChannelName channel, int partition,
                                                                Range range) {
        requests.add(new Request(null, Map.of(partition, range)));
        return answer;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }
}
