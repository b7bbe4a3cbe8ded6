package io.pushfabric.connector.session;

import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** Small builders shared by the session tests. */
final class Sessions {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final UserId ALICE = UserId.of("alice");
    static final UserId BOB = UserId.of("bob");

    private Sessions() {
    }

    static SessionMetrics metrics(MeterRegistry registry) {
        return new SessionMetrics(registry, CLOCK, () -> 0);
    }

    static SessionMetrics metrics() {
        return metrics(new SimpleMeterRegistry());
    }

    static Delivery toUser(UserId user, int partition, long offset) {
        return new Delivery(new MessagePosition(partition, offset),
                PushRequest.toUser(user, TextNode.valueOf(user + "@" + partition + "-" + offset)));
    }

    static Delivery broadcast(int partition, long offset) {
        return new Delivery(new MessagePosition(partition, offset),
                PushRequest.broadcast(TextNode.valueOf("all@" + partition + "-" + offset)));
    }

    /** A frame supplier that renders a recognisable text: {@code live <partition>-<offset>}. */
    static Supplier<EncodedFrame> liveFrame(Delivery delivery) {
        return () -> EncodedFrame.of("live " + delivery.position().id());
    }
}
