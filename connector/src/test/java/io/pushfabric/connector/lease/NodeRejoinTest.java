package io.pushfabric.connector.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.connector.session.LocalSessions;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.registry.InMemoryNodeRegistry;
import io.pushfabric.registry.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRejoinTest {
    private static final NodeId NODE = NodeId.of("node-1");
    private static final Duration TTL = Duration.ofMillis(1_000);

    private final MutableClock clock = new MutableClock();
    private final InMemoryNodeRegistry registry = new InMemoryNodeRegistry(clock);
    private final LocalSessions sessions = new LocalSessions();
    private final NodeHeartbeat heartbeat = new NodeHeartbeat(registry, NODE, "127.0.0.1:1", TTL, sessions::size, clock);
    /** What the join steps saw, in order: each step with whether dispatchers saw the node live then. */
    private final List<String> steps = new ArrayList<>();
    private int failingAnnouncements;
    private long nextMarker = 10;
    private Runnable duringAnnounce = () -> { };
    private final NodeRejoin rejoin = new NodeRejoin(sessions, heartbeat,
            () -> steps.add("topic live=" + live()),
            this::announce, Runnable::run, clock, Duration.ofMillis(100), Duration.ofMillis(400));

    private MessagePosition announce() {
        steps.add("announce live=" + live());
        duringAnnounce.run();
        if (failingAnnouncements > 0) {
            failingAnnouncements--;
            throw new IllegalStateException("kafka unavailable");
        }
        return new MessagePosition(0, nextMarker++);
    }

    private boolean live() {
        return registry.liveNodes().contains(NODE);
    }

    private void lapse() {
        clock.advance(TTL);
    }

    @Test
    void joinsByTopicThenLeaseThenAnnouncement() {
        assertThat(rejoin.isFenced()).as("before the first join").isTrue();

        rejoin.joinNow();

        assertThat(steps).containsExactly("topic live=false", "announce live=true");
        assertThat(rejoin.isFenced()).isFalse();
        assertThat(heartbeat.holdsLease()).isTrue();
    }

    @Test
    void heartbeatDuringTheFirstJoinRenewsButStartsNoSecondJoin() {
        duringAnnounce = () -> {
            duringAnnounce = () -> { };
            clock.advance(Duration.ofMillis(600));
            rejoin.run();
        };

        rejoin.joinNow();

        assertThat(steps).containsExactly("topic live=false", "announce live=true");
        assertThat(rejoin.isFenced()).isFalse();
    }

    @Test
    void heartbeatRenewsWithoutRejoining() {
        rejoin.joinNow();
        steps.clear();

        clock.advance(Duration.ofMillis(600));
        rejoin.run();
        clock.advance(Duration.ofMillis(600));
        rejoin.run();

        assertThat(live()).isTrue();
        assertThat(rejoin.isFenced()).isFalse();
        assertThat(steps).isEmpty();
    }

    @Test
    void lapsedLeaseIsNotRenewedButRejoinedAfterTheTopicIsEnsured() {
        rejoin.joinNow();
        steps.clear();
        lapse();

        rejoin.run();

        assertThat(steps).as("no dispatcher sees the node before the topic exists again")
                .containsExactly("topic live=false", "announce live=true");
        assertThat(rejoin.isFenced()).isFalse();
        assertThat(live()).isTrue();
    }

    @Test
    void evictedLeaseFencesTheNodeAtTheNextHeartbeat() {
        rejoin.joinNow();
        steps.clear();
        registry.leave(NODE); // what a dispatcher's eviction, or a Redis restart, leaves behind

        rejoin.run();

        assertThat(steps).containsExactly("topic live=false", "announce live=true");
    }

    @Test
    void failedAnnouncementIsRetriedWithBackoffWhileFenced() {
        rejoin.joinNow();
        steps.clear();
        lapse();
        failingAnnouncements = 3;

        rejoin.run(); // fails: next attempt after 100 ms
        assertThat(rejoin.isFenced()).isTrue();
        clock.advance(Duration.ofMillis(99));
        rejoin.run();
        assertThat(steps).hasSize(2);

        clock.advance(Duration.ofMillis(1));
        rejoin.run(); // fails again: next after 200 ms
        assertThat(steps).hasSize(4);
        clock.advance(Duration.ofMillis(199));
        rejoin.run();
        assertThat(steps).hasSize(4);
        clock.advance(Duration.ofMillis(1));
        rejoin.run(); // fails a third time: next after 400 ms
        clock.advance(Duration.ofMillis(400));
        rejoin.run();

        assertThat(rejoin.isFenced()).isFalse();
        assertThat(steps).hasSize(8).endsWith("announce live=true");
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        assertThat(List.of(1, 2, 3, 4, 10, 100).stream().map(rejoin::backoffMillis).toList())
                .containsExactly(100L, 200L, 400L, 400L, 400L, 400L);
    }

    @Test
    void lapseDuringAJoinMakesItVoid() {
        rejoin.joinNow();
        lapse();
        duringAnnounce = () -> {
            duringAnnounce = () -> { };
            registry.leave(NODE);
            rejoin.run(); // the heartbeat meanwhile finds the new lease gone too
        };

        rejoin.run();
        assertThat(rejoin.isFenced()).as("the join that overlapped the second lapse does not count").isTrue();

        rejoin.run();
        assertThat(rejoin.isFenced()).isFalse();
        assertThat(live()).isTrue();
    }

    @Test
    void failedFirstJoinFailsStartUp() {
        failingAnnouncements = 1;

        assertThatThrownBy(rejoin::joinNow).hasMessageContaining("kafka unavailable");
        assertThat(rejoin.isFenced()).isTrue();
    }
}
