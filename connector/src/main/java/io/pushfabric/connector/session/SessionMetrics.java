package io.pushfabric.connector.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pushfabric.contracts.Delivery;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the connector counts about sessions and deliveries. */
public final class SessionMetrics {
    private final Clock clock;
    private final Counter opened;
    private final Counter delivered;
    private final Counter belowFence;
    private final Counter slow;
    private final Counter replayed;
    private final Counter notRecovered;
    private final Counter expired;
    private final Counter authRefused;
    private final Counter idle;
    private final Timer latency;
    private final DistributionSummary replayPerSession;
    private final DistributionSummary framesPerWrite;

    public SessionMetrics(MeterRegistry registry, Clock clock, Supplier<Number> openSessions) {
        this.clock = clock;
        Gauge.builder("pushfabric.connector.sessions", openSessions).description("Open WebSocket sessions")
                .register(registry);
        this.opened = Counter.builder("pushfabric.connector.sessions.opened").register(registry);
        this.delivered = Counter.builder("pushfabric.connector.messages.delivered")
                .description("Push frames written to sockets (live)").register(registry);
        this.belowFence = Counter.builder("pushfabric.connector.messages.duplicates.dropped")
                .description("Live deliveries dropped because the session already had them or they precede its welcome")
                .register(registry);
        this.slow = Counter.builder("pushfabric.connector.sessions.slow.closed")
                .description("Sessions closed because their send queue filled").register(registry);
        this.replayed = Counter.builder("pushfabric.connector.messages.replayed")
                .description("Push frames sent from replay on resume").register(registry);
        this.notRecovered = Counter.builder("pushfabric.connector.resume.failed")
                .description("Resumes answered with recovered:false").register(registry);
        this.expired = Counter.builder("pushfabric.connector.messages.expired")
                .description("Deliveries dropped at the connector because their expiry passed").register(registry);
        this.authRefused = Counter.builder("pushfabric.connector.auth.refused")
                .description("Upgrades refused with 401").register(registry);
        this.idle = Counter.builder("pushfabric.connector.sessions.idle.closed")
                .description("Connections closed because the client sent nothing for PUSH_IDLE_TIMEOUT_MS").register(registry);
        this.latency = Timer.builder("pushfabric.connector.delivery.latency")
                .description("From the request's createdAt to the socket write").publishPercentileHistogram()
                .register(registry);
        this.replayPerSession = DistributionSummary.builder("pushfabric.connector.resume.replayed")
                .description("Messages replayed per resumed session").register(registry);
        this.framesPerWrite = DistributionSummary.builder("pushfabric.connector.socket.write.frames")
                .description("Frames written to one socket in one flush by its I/O thread").register(registry);
    }

    void opened() {
        opened.increment();
    }

    void delivered(Delivery delivery) {
        delivered.increment();
        Long created = delivery.request().createdAt();
        if (created != null) {
            latency.record(Math.max(0, clock.millis() - created), TimeUnit.MILLISECONDS);
        }
    }

    void droppedBelowFence() {
        belowFence.increment();
    }

    void slowConsumer() {
        slow.increment();
    }

    void replayed(int count) {
        if (count > 0) {
            replayed.increment(count);
            replayPerSession.record(count);
        }
    }

    void notRecovered() {
        notRecovered.increment();
    }

    public void expired() {
        expired.increment();
    }

    public void authRefused() {
        authRefused.increment();
    }

    public void idleDropped() {
        idle.increment();
    }

    /** An I/O thread wrote {@code frames} frames (and maybe a close) to one socket with one flush. */
    public void socketWrite(int frames) {
        framesPerWrite.record(frames);
    }

    public double deliveredCount() {
        return delivered.count();
    }
}
