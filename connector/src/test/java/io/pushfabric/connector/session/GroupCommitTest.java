package io.pushfabric.connector.session;

import static io.pushfabric.connector.session.Sessions.ALICE;
import static io.pushfabric.connector.session.Sessions.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.SessionRoute;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link GroupCommit}, here writing session routes as the connector does. */
class GroupCommitTest {
    private static final NodeId NODE = NodeId.of("node-a");

    private final InMemoryRouteRegistry stored = new InMemoryRouteRegistry();
    private GroupRecordingRoutes written;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static SessionRoute route(UserId user, String session) {
        return new SessionRoute(user, session, NODE);
    }

    private GroupCommit<SessionRoute> commit(Consumer<List<SessionRoute>> beforeWrite) {
        written = new GroupRecordingRoutes(stored, beforeWrite);
        return new GroupCommit<>(written::registerAll, executor);
    }

    /** How many groups were written so far. */
    private int groupCount() {
        return written.groups().size();
    }

    @Test
    void routesQueuedWhileAWriteIsUnderWayGoTogetherInTheNext() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<SessionRoute> commit = commit(group -> {
            if (groupCount() == 1) {
                firstWriteStarted.countDown();
                await(release);
            }
        });

        CompletableFuture<Void> first = commit.submit(route(ALICE, "s1"));
        await(firstWriteStarted);
        List<CompletableFuture<Void>> queued = List.of(commit.submit(route(BOB, "s2")),
                commit.submit(route(ALICE, "s3")), commit.submit(route(BOB, "s4")));
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        release.countDown();

        first.get(10, TimeUnit.SECONDS);
        CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(written.groups()).containsExactly(List.of(route(ALICE, "s1")),
                List.of(route(BOB, "s2"), route(ALICE, "s3"), route(BOB, "s4")));
        assertThat(stored.routesOn(NODE)).hasSize(4);
    }

    @Test
    void aFailedWriteFailsEveryRouteOfItsGroupAndTheNextGroupIsStillWritten() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException redisDown = new IllegalStateException("redis down");
        GroupCommit<SessionRoute> commit = commit(group -> {
            if (groupCount() == 1) {
                firstWriteStarted.countDown();
                await(release);
            } else if (groupCount() == 2) {
                throw redisDown;
            }
        });

        CompletableFuture<Void> first = commit.submit(route(ALICE, "s1"));
        await(firstWriteStarted);
        List<CompletableFuture<Void>> failing = List.of(commit.submit(route(BOB, "s2")),
                commit.submit(route(ALICE, "s3")));
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> route : failing) {
            assertThat(route).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCause(redisDown);
        }

        commit.submit(route(BOB, "s4")).get(10, TimeUnit.SECONDS);
        assertThat(stored.routesOn(NODE)).containsExactlyInAnyOrder(route(ALICE, "s1"), route(BOB, "s4"));
    }

    @Test
    void aRouteOfAStoppedExecutorFailsAtOnce() {
        executor.shutdown();
        GroupCommit<SessionRoute> commit = commit(group -> { });

        CompletableFuture<Void> route = commit.submit(route(ALICE, "s1"));

        assertThat(route).isCompletedExceptionally();
        assertThat(route).failsWithin(0, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(RejectedExecutionException.class);
        assertThat(written.groups()).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
