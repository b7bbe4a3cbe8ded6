package io.pushfabric.connector.limits;

import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;

/**
 * What one connection may send: messages of at most {@code PUSH_MAX_CLIENT_FRAME_BYTES} (enforced by the
 * WebSocket edge as the bytes arrive, close 1009) and {@code PUSH_CLIENT_FRAMES_PER_SECOND} frames per
 * second (a token bucket per connection with a burst of one second's worth, close 1008).
 */
public final class FrameLimits {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final int maxFrameBytes;
    private final int perSecond;
    private final LimitMetrics metrics;
    private final Clock clock;

    public FrameLimits(LimitSettings settings, LimitMetrics metrics, Clock clock) {
        this.maxFrameBytes = settings.maxClientFrameBytes();
        this.perSecond = settings.clientFramesPerSecond();
        this.metrics = metrics;
        this.clock = clock;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** A message over {@link #maxFrameBytes()} arrived and its connection was closed. */
    public void tooBig() {
        metrics.frameTooBig();
    }

    public Budget forConnection() {
        return new Budget(TokenBuckets.single(perSecond, SECOND, clock));
    }

    /** One connection's frame budget. */
    public final class Budget {
        private final Bucket bucket;
        private volatile boolean exceeded;

        private Budget(Bucket bucket) {
            this.bucket = bucket;
        }

        /**
         * Takes one frame from the budget. @return false once the connection has sent too many, for this
         * frame and every later one (the connection is closing); counted once per connection
         */
        public boolean take() {
            if (exceeded) {
                return false;
            }
            if (bucket.tryConsume(1)) {
                return true;
            }
            exceeded = true;
            metrics.frameRateExceeded();
            return false;
        }
    }
}
