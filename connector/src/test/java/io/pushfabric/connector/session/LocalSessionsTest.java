package io.pushfabric.connector.session;

import static io.pushfabric.connector.session.Sessions.ALICE;
import static io.pushfabric.connector.session.Sessions.BOB;
import static io.pushfabric.connector.session.Sessions.broadcast;
import static io.pushfabric.connector.session.Sessions.liveFrame;
import static io.pushfabric.connector.session.Sessions.toUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.UserId;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalSessionsTest {
    private static final int BROADCAST_PARTITION = 0;

    private final LocalSessions sessions = new LocalSessions();
    private final SessionMetrics metrics = Sessions.metrics();
    private int ids;

    private ClientSession liveSession(UserId user, RecordingSink sink) {
        ClientSession session = new ClientSession("s-" + ids++, user, sink, 100, metrics, 0L);
        sessions.attach(session);
        session.start("welcome", List.of());
        return session;
    }

    private int deliver(Delivery delivery) {
        return sessions.deliver(delivery, liveFrame(delivery));
    }

    private int broadcastOf(Delivery delivery) {
        return sessions.broadcast(delivery, liveFrame(delivery));
    }

    @Test
    void attachFencesTheSessionAtTheBroadcastHighMark() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 50);
        ClientSession session = new ClientSession("s", ALICE, new RecordingSink(), 100, metrics, 0L);

        assertThat(sessions.attach(session)).isEqualTo(50L);
        assertThat(session.fence(BROADCAST_PARTITION)).isEqualTo(50L);
        assertThat(sessions.broadcastPartition()).isEqualTo(BROADCAST_PARTITION);
    }

    @Test
    void nothingAttachesBeforeTheNodeHasJoined() {
        ClientSession session = new ClientSession("s", ALICE, new RecordingSink(), 100, metrics, 0L);

        assertThatThrownBy(() -> sessions.attach(session)).isInstanceOf(NodeFencedException.class);
    }

    @Test
    void fenceClosesEverySessionWith4001AndAdmitsNoneUntilTheNodeJoinsAgain() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 50);
        RecordingSink phone = new RecordingSink();
        ClientSession open = liveSession(ALICE, phone);
        ClientSession late = new ClientSession("late", BOB, new RecordingSink(), 100, metrics, 0L);

        assertThat(sessions.fence()).isEqualTo(1);

        assertThat(open.isClosed()).isTrue();
        assertThat(phone.closeCode()).isEqualTo(CloseCodes.NODE_FENCED);
        assertThatThrownBy(() -> sessions.attach(late)).isInstanceOf(NodeFencedException.class);

        // Broadcasts up to offset 69 may have been skipped while the node was dead: they are the resume's job.
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 70);
        assertThat(sessions.attach(late)).as("broadcast fence after the node-joined marker").isEqualTo(70L);
    }

    @Test
    void fenceClosesEverySessionEvenWhenOneSocketFailsToClose() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 50);
        FrameSink broken = new FrameSink() {
            @Override
            public boolean send(EncodedFrame frame) {
                return true;
            }

            @Override
            public boolean sendWhenRoom(EncodedFrame frame, Runnable whenRoom) {
                return true;
            }

            @Override
            public void close(int code, String reason) {
                throw new IllegalStateException("socket already torn down");
            }

            @Override
            public int queued() {
                return 0;
            }
        };
        RecordingSink laptop = new RecordingSink();
        ClientSession first = new ClientSession("broken", ALICE, broken, 100, metrics, 0L);
        sessions.attach(first);
        first.start("welcome", List.of());
        ClientSession other = liveSession(BOB, laptop);

        assertThat(sessions.fence()).isEqualTo(2);

        assertThat(other.isClosed()).isTrue();
        assertThat(laptop.closeCode()).isEqualTo(CloseCodes.NODE_FENCED);
    }

    @Test
    void broadcastsHandedOutRaiseTheHighMark() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 50);
        broadcastOf(broadcast(BROADCAST_PARTITION, 60));

        ClientSession session = new ClientSession("s", ALICE, new RecordingSink(), 100, metrics, 0L);

        assertThat(sessions.attach(session)).isEqualTo(61L);
    }

    @Test
    void startingBroadcastsNeverLowersTheHighMark() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 50);
        broadcastOf(broadcast(BROADCAST_PARTITION, 60));
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 10);

        assertThat(sessions.attach(new ClientSession("s", ALICE, new RecordingSink(), 100, metrics, 0L)))
                .isEqualTo(61L);
    }

    @Test
    void broadcastBeforeAttachIsNotGivenToTheSessionButOneAfterIs() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 50);
        Delivery before = broadcast(BROADCAST_PARTITION, 50);
        Delivery after = broadcast(BROADCAST_PARTITION, 51);

        assertThat(broadcastOf(before)).isZero();
        RecordingSink sink = new RecordingSink();
        liveSession(ALICE, sink);
        assertThat(broadcastOf(after)).isEqualTo(1);

        assertThat(sink.frames()).containsExactly("welcome", "live 0-51");
    }

    @Test
    void broadcastRedeliveredAfterAttachIsDroppedByTheFence() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 50);
        broadcastOf(broadcast(BROADCAST_PARTITION, 50));
        RecordingSink sink = new RecordingSink();
        liveSession(ALICE, sink);

        broadcastOf(broadcast(BROADCAST_PARTITION, 50));

        assertThat(sink.frames()).containsExactly("welcome");
    }

    @Test
    void broadcastReachesEverySessionOfEveryUser() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 0);
        RecordingSink alice = new RecordingSink();
        RecordingSink bob = new RecordingSink();
        liveSession(ALICE, alice);
        liveSession(BOB, bob);

        assertThat(broadcastOf(broadcast(BROADCAST_PARTITION, 5))).isEqualTo(2);

        assertThat(alice.frames()).containsExactly("welcome", "live 0-5");
        assertThat(bob.frames()).containsExactly("welcome", "live 0-5");
    }

    @Test
    void deliveryReachesOnlyThatUsersSessions() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 0);
        RecordingSink phone = new RecordingSink();
        RecordingSink laptop = new RecordingSink();
        RecordingSink bob = new RecordingSink();
        liveSession(ALICE, phone);
        liveSession(ALICE, laptop);
        liveSession(BOB, bob);

        assertThat(deliver(toUser(ALICE, 3, 7))).isEqualTo(2);

        assertThat(phone.frames()).containsExactly("welcome", "live 3-7");
        assertThat(laptop.frames()).containsExactly("welcome", "live 3-7");
        assertThat(bob.frames()).containsExactly("welcome");
    }

    @Test
    void deliveryForAUserWithoutSessionsReachesNobody() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 0);
        liveSession(BOB, new RecordingSink());

        assertThat(deliver(toUser(ALICE, 3, 7))).isZero();
    }

    @Test
    void detachedSessionGetsNothingMore() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 0);
        RecordingSink phone = new RecordingSink();
        RecordingSink laptop = new RecordingSink();
        ClientSession first = liveSession(ALICE, phone);
        liveSession(ALICE, laptop);

        assertThat(sessions.detach(first)).isTrue();
        assertThat(sessions.detach(first)).isFalse();
        deliver(toUser(ALICE, 3, 7));
        broadcastOf(broadcast(BROADCAST_PARTITION, 8));

        assertThat(phone.frames()).containsExactly("welcome");
        assertThat(laptop.frames()).containsExactly("welcome", "live 3-7", "live 0-8");
        assertThat(sessions.size()).isEqualTo(1);
        assertThat(sessions.sessionsOf(ALICE)).hasSize(1);
    }

    @Test
    void detachingTheLastSessionForgetsTheUser() {
        sessions.startBroadcastsAt(BROADCAST_PARTITION, 0);
        ClientSession only = liveSession(ALICE, new RecordingSink());

        sessions.detach(only);

        assertThat(sessions.sessionsOf(ALICE)).isEmpty();
        assertThat(sessions.snapshot()).isEmpty();
        assertThat(deliver(toUser(ALICE, 3, 7))).isZero();
    }

    /**
     * A stress reproduction, not a timing assertion: each round races one attach against one detach of the
     * same user and checks the outcome. On a 2-core machine about 1 round in 300 loses the new session.
     */
    @Test
    void sessionAttachedWhileTheUsersLastSessionDetachesStillGetsUserDeliveries() throws Exception {
        int rounds = 200_000;
        CyclicBarrier go = new CyclicBarrier(2);
        CyclicBarrier done = new CyclicBarrier(2);
        AtomicReference<LocalSessions> round = new AtomicReference<>();
        AtomicReference<ClientSession> leaving = new AtomicReference<>();
        AtomicReference<Throwable> closerFailure = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    go.await(10, TimeUnit.SECONDS);
                    round.get().detach(leaving.get());
                    done.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the test ended early: it found the lost session
            } catch (Exception e) {
                closerFailure.set(e);
            }
        }, "test-closer");
        closer.setDaemon(true);
        closer.setUncaughtExceptionHandler((t, e) -> closerFailure.set(e));
        closer.start();

        int lostAtRound = -1;
        for (int i = 0; i < rounds && lostAtRound < 0; i++) {
            LocalSessions local = new LocalSessions();
            local.startBroadcastsAt(BROADCAST_PARTITION, 0);
            ClientSession old = new ClientSession("old", ALICE, new RecordingSink(), 10, metrics, 0L);
            local.attach(old);
            round.set(local);
            leaving.set(old);
            ClientSession fresh = new ClientSession("new", ALICE, new RecordingSink(), 10, metrics, 0L);

            go.await(10, TimeUnit.SECONDS);
            local.attach(fresh);
            done.await(10, TimeUnit.SECONDS);

            if (!local.sessionsOf(ALICE).contains(fresh)) {
                lostAtRound = i;
            }
        }
        closer.interrupt();

        assertThat(lostAtRound).as("round in which the newly attached session became unreachable").isEqualTo(-1);
        assertThat(closerFailure.get()).isNull();
    }
}
