package io.pushfabric.dispatcher.dlq;

import io.pushfabric.contracts.InvalidPushRequestException;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import java.util.Objects;

/**
 * Whether a dead letter can go back to {@code push-requests}: only when the dispatcher would now accept
 * it. A record that is not JSON, breaks the schema, is too large, has the wrong key or has expired would
 * fail again, so it is refused with that reason; anything else (a record in the wrong partition, or one
 * rejected by a bug) is redriven unchanged, keyed by its routing key. Pure.
 */
public final class RedriveDecision {
    /** The refusal reason of a request that expired while it sat in the dead-letter topic. */
    public static final String EXPIRED = "EXPIRED";

    private final PushRequestCodec codec;

    public RedriveDecision(PushRequestCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** What to do with one dead letter. */
    public sealed interface Outcome {
    }

    /** Publish the original value again under {@code key}, with Kafka's default partitioner. */
    public record Redrive(String key, PushRequest request) implements Outcome {
    }

    /** Leave it in the dead-letter topic: it would fail again, for {@code reason}. */
    public record Refuse(String reason, String detail) implements Outcome {
    }

    public Outcome decide(DeadLetter letter, long nowMillis) {
        PushRequest request;
        try {
            request = codec.decode(letter.key(), letter.value());
        } catch (InvalidPushRequestException e) {
            return new Refuse(e.reason().name(), e.detail());
        }
        if (request.isExpiredAt(nowMillis)) {
            return new Refuse(EXPIRED, "expired at " + request.expiresAt());
        }
        return new Redrive(RoutingKeys.of(request), request);
    }
}
