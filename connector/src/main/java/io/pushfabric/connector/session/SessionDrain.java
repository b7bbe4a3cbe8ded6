package io.pushfabric.connector.session;

import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves clients off this node without a reconnect wave: each session gets a {@code reconnect} frame with
 * its own random delay within the drain window, keeps receiving until then, and is closed with 1012 at
 * that moment. Also enforces the optional maximum connection lifetime, with jitter, so long-lived
 * connections are rebalanced over time.
 */
public final class SessionDrain {
    private static final Logger LOG = LoggerFactory.getLogger(SessionDrain.class);

    private final LocalSessions sessions;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final FrameCodec frames = new FrameCodec();

    public SessionDrain(LocalSessions sessions, ScheduledExecutorService scheduler, Clock clock) {
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Spreads every open session's reconnect over {@code window} and waits (at most the window plus
     * {@code grace}) until they are all closed. Sessions opened after this call are the caller's business
     * (it stops accepting upgrades first).
     *
     * @return how many sessions were still open when the wait ended
     */
    public int drain(Duration window, Duration grace) {
        List<ClientSession> open = sessions.snapshot();
        LOG.info("Draining {} sessions over {} ms", open.size(), window.toMillis());
        CountDownLatch done = new CountDownLatch(open.size());
        for (ClientSession s : open) {
            long delay = window.isZero() ? 0 : ThreadLocalRandom.current().nextLong(window.toMillis() + 1);
            s.sendControl(frames.encode(new ServerFrame.Reconnect(delay, "draining")));
            scheduler.schedule(() -> {
                s.close(CloseCodes.SERVICE_RESTART, "draining; reconnect with your cursor");
                done.countDown();
            }, delay, TimeUnit.MILLISECONDS);
        }
        try {
            done.await(window.plus(grace).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (int) sessions.snapshot().stream().filter(s -> !s.isClosed()).count();
    }

    /**
     * Closes (4003) every session older than its own lifetime: {@code maxLifetime} minus up to 20 %,
     * drawn per session from its id, so sessions opened together do not expire together.
     */
    public void expireOld(Duration maxLifetime) {
        long now = clock.millis();
        for (ClientSession s : sessions.snapshot()) {
            if (now - s.openedAt() >= lifetimeOf(s, maxLifetime) && s.isLive()) {
                long delay = ThreadLocalRandom.current().nextLong(1000);
                s.sendControl(frames.encode(new ServerFrame.Reconnect(delay, "lifetime")));
                s.close(CloseCodes.LIFETIME_EXPIRED, "connection lifetime reached; reconnect with your cursor");
            }
        }
    }

    static long lifetimeOf(ClientSession session, Duration maxLifetime) {
        double jitter = Math.floorMod(session.id().hashCode(), 1000) / 1000.0; // 0 .. 0.999
        return (long) (maxLifetime.toMillis() * (1.0 - 0.2 * jitter));
    }
}
