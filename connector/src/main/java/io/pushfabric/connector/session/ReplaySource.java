package io.pushfabric.connector.session;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.UserId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Reads back, from {@code push-requests}, what a resuming user (or a recovering channel subscription) missed. */
public interface ReplaySource {

    /** Offsets {@code [from, to)} of one partition. */
    record Range(long from, long to) {
        public Range {
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
            }
        }
    }

    /** All or nothing: every message, or why not. */
    sealed interface Result {
        record Complete(List<Delivery> deliveries) implements Result {
        }

        /** @param reason a {@code recovered:false} reason of the protocol, or {@link #NODE_STOPPING} */
        record Incomplete(String reason) implements Result {
            /** The replay was cut off because this node is stopping: nothing to tell the client but "go elsewhere". */
            public static final String NODE_STOPPING = "shutting_down";
        }
    }

    /**
     * Every message for {@code user} (and every broadcast) in the given ranges, in offset order per
     * partition, without expired messages and producer-id duplicates; or {@link Result.Incomplete} when
     * that cannot be done completely.
     */
    CompletableFuture<Result> replay(UserId user, Map<Integer, Range> ranges);

    /**
     * Every message of {@code channel} in {@code range} of its partition, in offset order, like {@link #replay}
     * (all or nothing, within the same limits).
     */
    CompletableFuture<Result> replayChannel(ChannelName channel, int partition, Range range);
}
