package io.pushfabric.connector.session;

import static io.pushfabric.connector.session.Sessions.ALICE;
import static io.pushfabric.connector.session.Sessions.BOB;
import static io.pushfabric.connector.session.Sessions.CLOCK;
import static io.pushfabric.connector.session.Sessions.broadcast;
import static io.pushfabric.connector.session.Sessions.toUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.SessionRoute;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionLifecycleTest {
    private static final NodeId NODE = NodeId.of("node-a");
    private static final NodeId OTHER_NODE = NodeId.of("node-b");
    private static final RequestsTopic TOPIC = new RequestsTopic("topic-1", 4);
    private static final int BROADCAST_PARTITION = 0;
    private static final long BROADCAST_HIGH_MARK = 100;
    private static final int USER_PARTITION = 2;
    private static final long MARKER_OFFSET = 40;
    private static final MessagePosition MARKER = new MessagePosition(USER_PARTITION, MARKER_OFFSET);
    /** The fences of a session opened now: the broadcast high mark and the marker's offset + 1. */
    private static final Cursor FENCES = new Cursor(TOPIC.topicId(),
            Map.of(BROADCAST_PARTITION, BROADCAST_HIGH_MARK, USER_PARTITION, MARKER_OFFSET + 1));
    private static final SessionSettings SETTINGS = new SessionSettings(100, Duration.ofSeconds(15));

    private final FrameCodec codec = new FrameCodec();
    private final LocalSessions sessions = new LocalSessions();
    private final InMemoryRouteRegistry routes = new InMemoryRouteRegistry();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionMetrics metrics = Sessions.metrics(meters);

    SessionLifecycleTest() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, BROADCAST_HIGH_MARK);
    }

    private SessionLifecycle lifecycle(MarkerLog markers, ReplaySource replay, Executor executor,
                                       SessionSettings settings) {
        return new SessionLifecycle(NODE, sessions, routes, markers, replay, TOPIC, settings, metrics, CLOCK,
                executor);
    }

    private SessionLifecycle lifecycle(MarkerLog markers, ReplaySource replay) {
        return lifecycle(markers, replay, Runnable::run, SETTINGS);
    }

    private List<ServerFrame> frames(RecordingSink sink) {
        return sink.frames().stream().map(codec::decodeServer).toList();
    }

    private ServerFrame.Welcome welcome(RecordingSink sink) {
        List<ServerFrame> frames = frames(sink);
        assertThat(frames).as("frames sent").isNotEmpty();
        assertThat(frames.get(0)).isInstanceOf(ServerFrame.Welcome.class);
        return (ServerFrame.Welcome) frames.get(0);
    }

    /** The ids ({@code partition-offset}) of the push frames sent, in order. */
    private List<String> pushIds(RecordingSink sink) {
        return frames(sink).stream()
                .filter(ServerFrame.Push.class::isInstance)
                .map(f -> ((ServerFrame.Push) f).position().id())
                .toList();
    }

    private void deliverLive(Delivery delivery) {
        java.util.function.Supplier<EncodedFrame> frame =
                () -> EncodedFrame.of(codec.encode(new ServerFrame.Push(delivery.position(), NODE, delivery.request())));
        if (delivery.request().isBroadcast()) {
            sessions.broadcast(delivery, frame);
        } else {
            sessions.deliver(delivery, frame);
        }
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    @Nested
    class FreshSession {
        private final FakeMarkerLog markers = FakeMarkerLog.at(MARKER);
        private final FakeReplaySource replay = FakeReplaySource.complete();
        private final SessionLifecycle lifecycle = lifecycle(markers, replay);

        @Test
        void isWelcomedAsRecoveredAtItsFences() {
            RecordingSink sink = new RecordingSink();

            ClientSession session = lifecycle.open(ALICE, null, sink);

            ServerFrame.Welcome welcome = welcome(sink);
            assertThat(welcome.session()).isEqualTo(session.id());
            assertThat(welcome.node()).isEqualTo(NODE);
            assertThat(welcome.user()).isEqualTo(ALICE);
            assertThat(welcome.recovered()).isTrue();
            assertThat(welcome.reason()).isNull();
            assertThat(welcome.replayed()).isZero();
            assertThat(welcome.cursor()).isEqualTo(FENCES);
            assertThat(sink.frames()).hasSize(1);
            assertThat(session.isLive()).isTrue();
        }

        @Test
        void registersItsRouteAndWritesAMarker() {
            ClientSession session = lifecycle.open(ALICE, null, new RecordingSink());

            assertThat(routes.sessionsOf(ALICE)).containsExactly(new SessionRoute(ALICE, session.id(), NODE));
            assertThat(markers.written()).containsExactly(ALICE);
            assertThat(sessions.sessionsOf(ALICE)).containsExactly(session);
            assertThat(replay.requests()).isEmpty();
        }

        @Test
        void receivesOnlyLiveDeliveriesAboveItsFences() {
            RecordingSink sink = new RecordingSink();
            lifecycle.open(ALICE, null, sink);

            deliverLive(toUser(ALICE, USER_PARTITION, MARKER_OFFSET - 1));
            deliverLive(toUser(ALICE, USER_PARTITION, MARKER_OFFSET + 1));
            deliverLive(broadcast(BROADCAST_PARTITION, BROADCAST_HIGH_MARK - 1));
            deliverLive(broadcast(BROADCAST_PARTITION, BROADCAST_HIGH_MARK));

            assertThat(pushIds(sink)).containsExactly("2-41", "0-100");
        }

        @Test
        void userAndBroadcastOnOnePartitionAreFencedByTheMarker() {
            sessions.startBroadcastsAt(USER_PARTITION, 30);
            RecordingSink sink = new RecordingSink();

            lifecycle.open(ALICE, null, sink);

            assertThat(welcome(sink).cursor())
                    .isEqualTo(new Cursor(TOPIC.topicId(), Map.of(USER_PARTITION, MARKER_OFFSET + 1)));
        }
    }

    @Nested
    class Resume {
        private final String clientCursor = TOPIC.topicId() + ",0:98,2:35";

        @Test
        void replaysMissedMessagesBeforeLiveOnesThatArrivedMeanwhile() {
            FakeMarkerLog markers = FakeMarkerLog.pendingUntilCompleted();
            FakeReplaySource replay = FakeReplaySource.pendingUntilCompleted();
            RecordingSink sink = new RecordingSink();
            lifecycle(markers, replay).open(ALICE, clientCursor, sink);

            // Attached and routed, marker not yet acknowledged: live traffic is buffered.
            deliverLive(toUser(ALICE, USER_PARTITION, 39));
            deliverLive(toUser(ALICE, USER_PARTITION, 41));
            deliverLive(broadcast(BROADCAST_PARTITION, 100));
            markers.pending().complete(MARKER);
            deliverLive(toUser(ALICE, USER_PARTITION, 42));
            assertThat(sink.frames()).isEmpty();

            replay.answer().complete(new ReplaySource.Result.Complete(List.of(
                    toUser(ALICE, USER_PARTITION, 36),
                    broadcast(BROADCAST_PARTITION, 99),
                    toUser(ALICE, USER_PARTITION, 39))));

            ServerFrame.Welcome welcome = welcome(sink);
            assertThat(welcome.recovered()).isTrue();
            assertThat(welcome.reason()).isNull();
            assertThat(welcome.replayed()).isEqualTo(3);
            assertThat(welcome.cursor()).isEqualTo(Cursor.parse(clientCursor));
            // Replayed first, then the buffered live ones above the fences; 2-39 only once.
            assertThat(pushIds(sink)).containsExactly("2-36", "0-99", "2-39", "2-41", "0-100", "2-42");
            assertThat(counter("pushfabric.connector.messages.replayed")).isEqualTo(3.0);
        }

        @Test
        void resumeThatMissedNothingIsWelcomedAtTheFences() {
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.complete()).open(ALICE, clientCursor, sink);

            assertThat(welcome(sink).recovered()).isTrue();
            assertThat(welcome(sink).cursor()).isEqualTo(FENCES);
        }

        @Test
        void partitionWithReplayedPushesStartsAtTheCursorAndOneWithoutAtItsFence() {
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.complete(broadcast(BROADCAST_PARTITION, 99)))
                    .open(ALICE, clientCursor, sink);

            assertThat(welcome(sink).cursor()).isEqualTo(new Cursor(TOPIC.topicId(),
                    Map.of(BROADCAST_PARTITION, 98L, USER_PARTITION, MARKER_OFFSET + 1)));
            assertThat(pushIds(sink)).containsExactly("0-99");
        }

        @Test
        void asksForExactlyTheRangesBetweenCursorAndFences() {
            FakeReplaySource replay = FakeReplaySource.complete();

            lifecycle(FakeMarkerLog.at(MARKER), replay).open(ALICE, clientCursor, new RecordingSink());

            assertThat(replay.requests()).containsExactly(new FakeReplaySource.Request(ALICE, Map.of(
                    BROADCAST_PARTITION, new ReplaySource.Range(98, BROADCAST_HIGH_MARK),
                    USER_PARTITION, new ReplaySource.Range(35, MARKER_OFFSET + 1))));
        }

        @Test
        void replayedMessagesThatHaveExpiredAreLeftOut() {
            long now = CLOCK.millis();
            Delivery expired = new Delivery(new MessagePosition(USER_PARTITION, 36),
                    PushRequest.toUser(ALICE, TextNode.valueOf("old")).withExpiresAt(now));
            Delivery fresh = new Delivery(new MessagePosition(USER_PARTITION, 37),
                    PushRequest.toUser(ALICE, TextNode.valueOf("new")).withExpiresAt(now + 1));
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.complete(expired, fresh))
                    .open(ALICE, clientCursor, sink);

            assertThat(welcome(sink).replayed()).isEqualTo(1);
            assertThat(pushIds(sink)).containsExactly("2-37");
        }

        @Test
        void cursorAtTheFencesNeedsNoReplay() {
            FakeReplaySource replay = FakeReplaySource.complete();
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), replay).open(ALICE, FENCES.format(), sink);

            assertThat(replay.requests()).isEmpty();
            assertThat(welcome(sink).recovered()).isTrue();
            assertThat(welcome(sink).cursor()).isEqualTo(FENCES);
        }

        @Test
        void cursorAheadOfAFenceRaisesItSoNothingOlderIsSent() {
            RecordingSink sink = new RecordingSink();
            String ahead = TOPIC.topicId() + ",0:100,2:45";

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.complete()).open(ALICE, ahead, sink);
            deliverLive(toUser(ALICE, USER_PARTITION, 44));
            deliverLive(toUser(ALICE, USER_PARTITION, 45));

            assertThat(welcome(sink).cursor()).isEqualTo(Cursor.parse(ahead));
            assertThat(pushIds(sink)).containsExactly("2-45");
        }

        @Test
        void cursorOfAnotherTopicIsNotRecovered() {
            FakeReplaySource replay = FakeReplaySource.complete(toUser(ALICE, USER_PARTITION, 36));
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), replay).open(ALICE, "other-topic,0:98,2:35", sink);

            ServerFrame.Welcome welcome = welcome(sink);
            assertThat(welcome.recovered()).isFalse();
            assertThat(welcome.reason()).isEqualTo("topic_changed");
            assertThat(welcome.replayed()).isZero();
            assertThat(welcome.cursor()).isEqualTo(FENCES);
            assertThat(pushIds(sink)).isEmpty();
            assertThat(replay.requests()).isEmpty();
            assertThat(counter("pushfabric.connector.resume.failed")).isEqualTo(1.0);
        }

        @Test
        void unparseableCursorIsNotRecovered() {
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.complete()).open(ALICE, "topic-1,zz", sink);

            assertThat(welcome(sink).recovered()).isFalse();
            assertThat(welcome(sink).reason()).isEqualTo("bad_cursor");
            assertThat(welcome(sink).cursor()).isEqualTo(FENCES);
            assertThat(pushIds(sink)).isEmpty();
        }

        @Test
        void cursorMissingANeededPartitionIsNotRecovered() {
            FakeReplaySource replay = FakeReplaySource.complete(toUser(ALICE, BROADCAST_PARTITION, 99));
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), replay).open(ALICE, TOPIC.topicId() + ",0:98,3:10", sink);

            assertThat(welcome(sink).recovered()).isFalse();
            assertThat(welcome(sink).reason()).isEqualTo("cursor_incomplete");
            assertThat(welcome(sink).cursor()).isEqualTo(FENCES);
            assertThat(pushIds(sink)).isEmpty();
            assertThat(replay.requests()).isEmpty();
        }

        @Test
        void incompleteReplaySendsNothingPartial() {
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.incomplete("retention"))
                    .open(ALICE, clientCursor, sink);

            ServerFrame.Welcome welcome = welcome(sink);
            assertThat(welcome.recovered()).isFalse();
            assertThat(welcome.reason()).isEqualTo("retention");
            assertThat(welcome.replayed()).isZero();
            assertThat(welcome.cursor()).isEqualTo(FENCES);
            assertThat(pushIds(sink)).isEmpty();
        }

        @Test
        void replayCutOffByShutdownClosesAsGoingAwayInsteadOfSayingNotRecovered() {
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.incomplete(ReplaySource.Result.Incomplete.NODE_STOPPING))
                    .open(ALICE, clientCursor, sink);

            assertThat(sink.frames()).isEmpty();
            assertThat(sink.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
            assertThat(sessions.size()).isZero();
        }

        @Test
        void notRecoveredSessionStillGoesLiveAtItsFences() {
            RecordingSink sink = new RecordingSink();
            ClientSession session = lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.incomplete("retention"))
                    .open(ALICE, clientCursor, sink);

            deliverLive(toUser(ALICE, USER_PARTITION, 38));
            deliverLive(toUser(ALICE, USER_PARTITION, 41));

            assertThat(session.isLive()).isTrue();
            assertThat(pushIds(sink)).containsExactly("2-41");
        }

        @Test
        void failedReplayIsNotRecovered() {
            RecordingSink sink = new RecordingSink();

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.failing(new IllegalStateException("broker down")))
                    .open(ALICE, clientCursor, sink);

            assertThat(welcome(sink).recovered()).isFalse();
            assertThat(welcome(sink).reason()).isEqualTo("replay_failed");
            assertThat(welcome(sink).cursor()).isEqualTo(FENCES);
            assertThat(pushIds(sink)).isEmpty();
        }

        @Test
        void replayThatNeverAnswersEndsNotRecoveredAfterTheResumeTimeout() {
            RecordingSink sink = new RecordingSink();
            SessionSettings quick = new SessionSettings(100, Duration.ofMillis(100));

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.pendingUntilCompleted(), Runnable::run, quick)
                    .open(ALICE, clientCursor, sink);

            await().atMost(Duration.ofSeconds(5)).until(() -> !sink.frames().isEmpty());
            assertThat(welcome(sink).recovered()).isFalse();
            assertThat(welcome(sink).cursor()).isEqualTo(FENCES);
            assertThat(pushIds(sink)).isEmpty();
        }

        @Test
        void replayThatNeverAnswersIsReportedAsATimeout() {
            RecordingSink sink = new RecordingSink();
            SessionSettings quick = new SessionSettings(100, Duration.ofMillis(100));

            lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.pendingUntilCompleted(), Runnable::run, quick)
                    .open(ALICE, clientCursor, sink);

            await().atMost(Duration.ofSeconds(5)).until(() -> !sink.frames().isEmpty());
            assertThat(welcome(sink).reason()).isEqualTo("replay_timeout");
        }
    }

    @Nested
    class RouteWrites {
        private static final UserId CAROL = UserId.of("carol");
        private final GroupRecordingRoutes recording = new GroupRecordingRoutes(routes, group -> { });
        private final QueueExecutor executor = new QueueExecutor();
        private final SessionLifecycle lifecycle = new SessionLifecycle(NODE, sessions, recording,
                FakeMarkerLog.at(MARKER), FakeReplaySource.complete(), TOPIC, SETTINGS, metrics, CLOCK, executor);

        @Test
        void sessionsThatOpenWhileARouteWriteWaitsShareTheNextWrite() {
            RecordingSink aliceSink = new RecordingSink();
            RecordingSink bobSink = new RecordingSink();
            RecordingSink carolSink = new RecordingSink();
            ClientSession alice = lifecycle.open(ALICE, null, aliceSink);
            ClientSession bob = lifecycle.open(BOB, null, bobSink);
            ClientSession carol = lifecycle.open(CAROL, null, carolSink);

            executor.runAll();

            assertThat(recording.groups()).containsExactly(List.of(new SessionRoute(ALICE, alice.id(), NODE),
                    new SessionRoute(BOB, bob.id(), NODE), new SessionRoute(CAROL, carol.id(), NODE)));
            for (RecordingSink sink : List.of(aliceSink, bobSink, carolSink)) {
                assertThat(welcome(sink).recovered()).isTrue();
            }
        }

        @Test
        void sessionsThatCloseTogetherRemoveTheirRoutesInOneWrite() {
            ClientSession alice = lifecycle.open(ALICE, null, new RecordingSink());
            ClientSession bob = lifecycle.open(BOB, null, new RecordingSink());
            ClientSession carol = lifecycle.open(CAROL, null, new RecordingSink());
            executor.runAll();

            lifecycle.closed(alice);
            lifecycle.closed(bob);
            lifecycle.closed(carol);
            executor.runAll();

            assertThat(recording.removals()).containsExactly(List.of(new SessionRoute(ALICE, alice.id(), NODE),
                    new SessionRoute(BOB, bob.id(), NODE), new SessionRoute(CAROL, carol.id(), NODE)));
            assertThat(routes.routesOn(NODE)).isEmpty();
        }

        @Test
        void aLoneSessionsRouteIsWrittenAtOnce() {
            ClientSession alice = lifecycle.open(ALICE, null, new RecordingSink());

            executor.runAll();

            assertThat(recording.groups()).containsExactly(List.of(new SessionRoute(ALICE, alice.id(), NODE)));
        }
    }

    @Nested
    class Closing {
        @Test
        void closedSessionLeavesNoRouteAndNoLocalSession() {
            SessionLifecycle lifecycle = lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.complete());
            ClientSession session = lifecycle.open(ALICE, null, new RecordingSink());

            lifecycle.closed(session);

            assertThat(routes.sessionsOf(ALICE)).isEmpty();
            assertThat(sessions.sessionsOf(ALICE)).isEmpty();
            assertThat(sessions.size()).isZero();
            assertThat(session.isClosed()).isTrue();
        }

        @Test
        void closingOneSessionKeepsTheUsersOtherSessions() {
            SessionLifecycle lifecycle = lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.complete());
            ClientSession phone = lifecycle.open(ALICE, null, new RecordingSink());
            RecordingSink laptopSink = new RecordingSink();
            ClientSession laptop = lifecycle.open(ALICE, null, laptopSink);

            lifecycle.closed(phone);
            deliverLive(toUser(ALICE, USER_PARTITION, 50));

            assertThat(routes.sessionsOf(ALICE)).containsExactly(new SessionRoute(ALICE, laptop.id(), NODE));
            assertThat(sessions.sessionsOf(ALICE)).containsExactly(laptop);
            assertThat(pushIds(laptopSink)).containsExactly("2-50");
        }

        @Test
        void closeRemovesTheRouteOnlyWhileItIsStillThisNodes() {
            SessionLifecycle lifecycle = lifecycle(FakeMarkerLog.at(MARKER), FakeReplaySource.complete());
            ClientSession session = lifecycle.open(ALICE, null, new RecordingSink());
            SessionRoute moved = new SessionRoute(ALICE, session.id(), OTHER_NODE);
            routes.register(moved);

            lifecycle.closed(session);

            assertThat(routes.sessionsOf(ALICE)).containsExactly(moved);
        }

        @Test
        void sessionClosedWhileItsMarkerIsPendingLeavesNoRoute() {
            FakeMarkerLog markers = FakeMarkerLog.pendingUntilCompleted();
            SessionLifecycle lifecycle = lifecycle(markers, FakeReplaySource.complete());
            RecordingSink sink = new RecordingSink();
            ClientSession session = lifecycle.open(ALICE, null, sink);
            assertThat(routes.sessionsOf(ALICE)).hasSize(1);

            lifecycle.closed(session);
            markers.pending().complete(MARKER);

            assertThat(routes.sessionsOf(ALICE)).isEmpty();
            assertThat(sessions.size()).isZero();
            assertThat(sink.frames()).isEmpty();
        }

        @Test
        void sessionClosedBeforeItsRouteIsWrittenLeavesNoRouteBehind() {
            QueueExecutor executor = new QueueExecutor();
            FakeMarkerLog markers = FakeMarkerLog.at(MARKER);
            SessionLifecycle lifecycle = lifecycle(markers, FakeReplaySource.complete(), executor, SETTINGS);
            RecordingSink sink = new RecordingSink();
            ClientSession session = lifecycle.open(ALICE, null, sink);

            lifecycle.closed(session);
            executor.runAll();

            assertThat(routes.sessionsOf(ALICE)).isEmpty();
            assertThat(sessions.size()).isZero();
            assertThat(markers.written()).isEmpty();
            assertThat(sink.frames()).isEmpty();
        }

        @Test
        void failedMarkerClosesTheSessionAndRemovesItsRoute() {
            FakeMarkerLog markers = FakeMarkerLog.pendingUntilCompleted();
            SessionLifecycle lifecycle = lifecycle(markers, FakeReplaySource.complete());
            RecordingSink sink = new RecordingSink();
            lifecycle.open(ALICE, null, sink);

            markers.pending().completeExceptionally(new IllegalStateException("no leader"));

            assertThat(sink.closeCode()).isEqualTo(CloseCodes.INTERNAL_ERROR);
            assertThat(sink.frames()).isEmpty();
            assertThat(routes.sessionsOf(ALICE)).isEmpty();
            assertThat(sessions.size()).isZero();
        }
    }
}
