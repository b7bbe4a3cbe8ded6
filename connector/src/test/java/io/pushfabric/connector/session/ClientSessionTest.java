package io.pushfabric.connector.session;

import static io.pushfabric.connector.session.Sessions.ALICE;
import static io.pushfabric.connector.session.Sessions.liveFrame;
import static io.pushfabric.connector.session.Sessions.toUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Delivery;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientSessionTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionMetrics metrics = Sessions.metrics(meters);

    private ClientSession session(RecordingSink sink, int pendingLimit) {
        return new ClientSession("s-1", ALICE, sink, pendingLimit, metrics, 0L);
    }

    private static void offer(ClientSession session, Delivery delivery) {
        session.offer(delivery, liveFrame(delivery));
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    @Test
    void liveDeliveryBelowTheFenceIsDropped() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);
        session.raiseFence(3, 10);
        session.start("welcome", List.of());

        offer(session, toUser(ALICE, 3, 9));
        offer(session, toUser(ALICE, 3, 10));

        assertThat(sink.frames()).containsExactly("welcome", "live 3-10");
        assertThat(counter("pushfabric.connector.messages.duplicates.dropped")).isEqualTo(1.0);
        assertThat(metrics.deliveredCount()).isEqualTo(1.0);
    }

    @Test
    void fenceIsNeverLowered() {
        ClientSession session = session(new RecordingSink(), 10);

        session.raiseFence(3, 10);
        session.raiseFence(3, 4);

        assertThat(session.fence(3)).isEqualTo(10L);
        assertThat(session.fence(4)).isNull();
    }

    @Test
    void sameOffsetDeliveredTwiceReachesTheClientOnce() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);
        session.start("welcome", List.of());

        offer(session, toUser(ALICE, 3, 5));
        offer(session, toUser(ALICE, 3, 5));

        assertThat(sink.frames()).containsExactly("welcome", "live 3-5");
    }

    @Test
    void olderOffsetAfterANewerOneIsDropped() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);
        session.start("welcome", List.of());

        offer(session, toUser(ALICE, 3, 8));
        offer(session, toUser(ALICE, 3, 7));
        offer(session, toUser(ALICE, 1, 7));

        assertThat(sink.frames()).containsExactly("welcome", "live 3-8", "live 1-7");
    }

    @Test
    void deliveriesBeforeStartWaitForTheWelcomeAndReplayThenFollowInOrder() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);

        offer(session, toUser(ALICE, 3, 10));
        offer(session, toUser(ALICE, 0, 4));
        offer(session, toUser(ALICE, 3, 11));

        assertThat(sink.frames()).isEmpty();
        assertThat(session.isLive()).isFalse();

        session.start("welcome", List.of("replayed 3-8", "replayed 3-9"));

        assertThat(sink.frames()).containsExactly(
                "welcome", "replayed 3-8", "replayed 3-9", "live 3-10", "live 0-4", "live 3-11");
        assertThat(session.isLive()).isTrue();
        assertThat(counter("pushfabric.connector.messages.replayed")).isEqualTo(2.0);
    }

    @Test
    void bufferedDeliveriesBelowTheFenceAreDroppedAtStart() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);
        offer(session, toUser(ALICE, 3, 9));
        offer(session, toUser(ALICE, 3, 10));
        session.raiseFence(3, 10);

        session.start("welcome", List.of("replayed 3-9"));

        assertThat(sink.frames()).containsExactly("welcome", "replayed 3-9", "live 3-10");
    }

    @Test
    void bufferOverflowBeforeStartClosesAsSlowConsumer() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 2);

        offer(session, toUser(ALICE, 3, 1));
        offer(session, toUser(ALICE, 3, 2));
        assertThat(session.isClosed()).isFalse();
        offer(session, toUser(ALICE, 3, 3));

        assertThat(session.isClosed()).isTrue();
        assertThat(sink.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER).isEqualTo(4000);

        session.start("welcome", List.of());
        assertThat(sink.frames()).isEmpty();
    }

    @Test
    void fullSinkClosesAsSlowConsumerAndStopsDelivering() {
        RecordingSink sink = new RecordingSink(2);
        ClientSession session = session(sink, 10);
        session.start("welcome", List.of());

        offer(session, toUser(ALICE, 3, 1));
        offer(session, toUser(ALICE, 3, 2));
        offer(session, toUser(ALICE, 3, 3));

        assertThat(sink.frames()).containsExactly("welcome", "live 3-1");
        assertThat(sink.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(sink.closeCalls()).isEqualTo(1);
        assertThat(session.isClosed()).isTrue();
        assertThat(counter("pushfabric.connector.sessions.slow.closed")).isEqualTo(1.0);
    }

    @Test
    void replayLongerThanTheSocketTakesIsWrittenAsItDrainsThenLiveFollows() {
        RecordingSink sink = RecordingSink.withStreamRoom(2);
        ClientSession session = session(sink, 10);
        offer(session, toUser(ALICE, 3, 10));

        session.start("welcome", List.of("replayed 3-6", "replayed 3-7", "replayed 3-8", "replayed 3-9"));
        offer(session, toUser(ALICE, 3, 11));

        assertThat(sink.frames()).containsExactly("welcome", "replayed 3-6", "replayed 3-7");
        assertThat(session.isLive()).isFalse();
        assertThat(session.isClosed()).isFalse();

        sink.drain(1);
        assertThat(sink.frames()).endsWith("replayed 3-8");
        sink.drain(10);

        assertThat(sink.frames()).containsExactly("welcome", "replayed 3-6", "replayed 3-7", "replayed 3-8",
                "replayed 3-9", "live 3-10", "live 3-11");
        assertThat(session.isLive()).isTrue();
        assertThat(counter("pushfabric.connector.messages.replayed")).isEqualTo(4.0);
    }

    @Test
    void liveBufferBoundStillHoldsWhileAReplayWaitsForTheClient() {
        RecordingSink sink = RecordingSink.withStreamRoom(1);
        ClientSession session = session(sink, 2);
        session.start("welcome", List.of("replayed 3-8", "replayed 3-9"));

        offer(session, toUser(ALICE, 3, 10));
        offer(session, toUser(ALICE, 3, 11));
        offer(session, toUser(ALICE, 3, 12));

        assertThat(sink.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        sink.drain(10);
        assertThat(sink.frames()).containsExactly("welcome", "replayed 3-8");
    }

    @Test
    void controlFramesGoOutOnlyWhileOpen() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);
        session.start("welcome", List.of());

        session.sendControl("pong");
        session.close(CloseCodes.NORMAL, "bye");
        session.sendControl("pong again");
        offer(session, toUser(ALICE, 3, 1));

        assertThat(sink.frames()).containsExactly("welcome", "pong");
        assertThat(sink.closeCode()).isEqualTo(CloseCodes.NORMAL);
        assertThat(sink.closeReason()).isEqualTo("bye");
    }

    @Test
    void closeIsIdempotent() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);

        session.close(CloseCodes.GOING_AWAY, "shutdown");
        session.close(CloseCodes.INTERNAL_ERROR, "again");

        assertThat(sink.closeCalls()).isEqualTo(1);
        assertThat(sink.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
    }

    @Test
    void markClosedWithoutRouteAsksForNoCleanupAndDoesNotCloseTheSocketAgain() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);

        assertThat(session.markClosed()).isFalse();
        assertThat(session.isClosed()).isTrue();
        assertThat(sink.closeCalls()).isZero();
    }

    @Test
    void markClosedAfterTheRouteWasRegisteredAsksForItsRemoval() {
        ClientSession session = session(new RecordingSink(), 10);

        assertThat(session.markRouteRegistered()).isFalse();
        assertThat(session.markClosed()).isTrue();
    }

    @Test
    void routeRegisteredAfterCloseMustBeUndone() {
        ClientSession session = session(new RecordingSink(), 10);
        session.markClosed();

        assertThat(session.markRouteRegistered()).isTrue();
    }

    @Test
    void startAfterMarkClosedSendsNothing() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = session(sink, 10);
        offer(session, toUser(ALICE, 3, 1));
        session.markClosed();

        session.start("welcome", List.of("replayed"));

        assertThat(sink.frames()).isEmpty();
        assertThat(session.isLive()).isFalse();
    }
}
