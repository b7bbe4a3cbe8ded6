package io.pushfabric.loadtest.client;

import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.loadtest.measure.DeliveryLedger;
import io.pushfabric.loadtest.measure.LatencyBook;
import io.pushfabric.loadtest.measure.MicroClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated clients of a run. First connects go through a gate (at most {@code concurrency} handshakes
 * in flight, like a ramp); reconnects after a drop do not, since real clients do not coordinate, and wait
 * out the {@link ReconnectPolicy} instead. Counts connects, welcomes, drops, resumes that did not recover,
 * and how long handshakes and welcomes took.
 */
public final class ClientFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientFleet.class);
    /** Starting a connect costs the calling thread some socket work; one thread would queue a storm's 10,000. */
    private static final int RECONNECT_THREADS = 4;
    /** How long a capacity test waits without any connect finishing before it stops waiting. */
    private static final Duration STALL = Duration.ofSeconds(20);

    /**
     * @param clients        how many clients (users {@code <userPrefix><index>})
     * @param urls           connector or front URLs ({@code ws://host:port/ws}); client i starts at
     *                       {@code urls[firstUrl(i)]} and moves to the next URL after every drop
     * @param sources        local source addresses, assigned round robin (empty: the system's choice)
     * @param welcomeTimeout a connection not welcomed in this time is dropped
     * @param firstUrl       the index into {@code urls} where client i starts
     */
    public record Settings(int clients, String userPrefix, List<URI> urls, List<InetAddress> sources,
                           Duration welcomeTimeout, ReconnectPolicy reconnect, IntUnaryOperator firstUrl) {
        public Settings {
            if (clients < 1) {
                throw new IllegalArgumentException("clients must be >= 1, was " + clients);
            }
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("at least one WebSocket URL is needed");
            }
            urls = List.copyOf(urls);
            sources = List.copyOf(sources);
        }
    }

    /** Counters of the fleet at one moment. */
    public record Stats(int clients, int live, int everWelcomed, long connectAttempts, long connectFailures,
                        long neverConnected, long drops, long reconnects, long notRecovered, long replayed, long stuck,
                        Map<String, Long> notRecoveredReasons, Map<Integer, Long> closeCodes, List<String> errors) {
    }

    private final Settings settings;
    private final WsTransport transport;
    private final Tokens tokens;
    private final DeliveryLedger ledger;
    private final LatencyBook latency;
    private final MicroClock clock;
    private final FrameReader frames = new FrameReader();
    private final VirtualClient[] clients;
    private final ScheduledExecutorService scheduler;
    private final ConnectGate gate = new ConnectGate();
    private final AtomicInteger live = new AtomicInteger();
    private final Recorder handshakeTimes = LatencyBook.newRecorder();
    private final Recorder welcomeTimes = LatencyBook.newRecorder();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder neverConnected = new LongAdder();
    private final LongAdder drops = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder notRecovered = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder stuck = new LongAdder();
    private final LongAdder subscriptions = new LongAdder();
    private final Map<String, LongAdder> notRecoveredReasons = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private final BitSet everWelcomed = new BitSet();
    private final Object progress = new Object();
    private volatile Watched watched;
    private volatile boolean reconnecting = true;
    private volatile boolean retryFirstConnect = true;
    private volatile boolean closing;

    public ClientFleet(Settings settings, WsTransport transport, Tokens tokens, DeliveryLedger ledger,
                       LatencyBook latency, MicroClock clock) {
        if (!settings.sources().isEmpty() && !transport.canBind()) {
            throw new IllegalArgumentException("the " + transport.name() + " client cannot bind source addresses "
                    + settings.sources() + "; use --client undertow or drop --source-addresses");
        }
        this.settings = settings;
        this.transport = transport;
        this.tokens = tokens;
        this.ledger = ledger;
        this.latency = latency;
        this.clock = clock;
        this.clients = new VirtualClient[settings.clients()];
        for (int i = 0; i < clients.length; i++) {
            InetAddress source = settings.sources().isEmpty() ? null
                    : settings.sources().get(i % settings.sources().size());
            int firstUrl = Math.floorMod(settings.firstUrl().applyAsInt(i), settings.urls().size());
            clients[i] = new VirtualClient(i, new UserId(settings.userPrefix() + i), source, firstUrl, this);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(RECONNECT_THREADS, r -> {
            Thread t = new Thread(r, "lt-reconnect-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("Reconnect thread died", e));
            return t;
        });
    }

    /**
     * Starts the first connect of clients {@code [from, to)}, at most {@code maxInFlight} handshakes at a time.
     *
     * @param retry whether a client whose first connect fails tries again (false for capacity tests)
     */
    public void connect(int from, int to, int maxInFlight, boolean retry) {
        this.retryFirstConnect = retry;
        List<VirtualClient> batch = new ArrayList<>();
        for (int i = from; i < to && i < clients.length; i++) {
            batch.add(clients[i]);
        }
        gate.admit(batch, maxInFlight);
    }

    /** Whether clients come back after a drop. */
    public void reconnecting(boolean on) {
        this.reconnecting = on;
    }

    /**
     * Waits until {@code count} clients are live, or, when {@code orAllTried}, until no first connect is
     * pending or in flight, or nothing has moved (no welcome, no failure) for {@link #STALL} (connects that a
     * server out of file descriptors never answers cannot always be cancelled). @return whether
     * {@code count} clients are live
     */
    public boolean awaitLive(int count, Duration timeout, boolean orAllTried) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastMoves = moves();
        long lastMoveAt = System.nanoTime();
        synchronized (progress) {
            while (live.get() < count && !(orAllTried && gate.idle())) {
                long now = System.nanoTime();
                long left = deadline - now;
                if (left <= 0) {
                    return false;
                }
                long moves = moves();
                if (moves != lastMoves) {
                    lastMoves = moves;
                    lastMoveAt = now;
                } else if (orAllTried && now - lastMoveAt > STALL.toNanos()) {
                    LOG.warn("No connect has finished for {} s; {} in flight, giving up on them", STALL.toSeconds(),
                            gate.inFlight());
                    return false;
                }
                progress.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
        return live.get() >= count;
    }

    private long moves() {
        return live.get() + failures.sum() + drops.sum();
    }

    public int live() {
        return live.get();
    }

    public int size() {
        return clients.length;
    }

    public VirtualClient client(int index) {
        return clients[index];
    }

    /** Client {@code index} closes its connection and comes back to the same URL. @return whether it was live */
    public boolean bounce(int index) {
        return clients[index].bounce();
    }

    /** Clients that have been welcomed at least once. */
    public BitSet everWelcomed() {
        synchronized (everWelcomed) {
            return (BitSet) everWelcomed.clone();
        }
    }

    /** Handshake (TCP connect + HTTP upgrade) and welcome times since the previous call, in µs. */
    public Histogram[] takeConnectTimes() {
        return new Histogram[] {handshakeTimes.getIntervalHistogram(), welcomeTimes.getIntervalHistogram()};
    }

    public Stats stats() {
        Map<String, Long> reasons = new TreeMap<>();
        notRecoveredReasons.forEach((k, v) -> reasons.put(k, v.sum()));
        Map<Integer, Long> codes = new TreeMap<>();
        closeCodes.forEach((k, v) -> codes.put(k, v.sum()));
        int welcomed;
        synchronized (everWelcomed) {
            welcomed = everWelcomed.cardinality();
        }
        List<String> someErrors;
        synchronized (errors) {
            someErrors = List.copyOf(errors);
        }
        return new Stats(clients.length, live.get(), welcomed, attempts.sum(), failures.sum(), neverConnected.sum(),
                drops.sum(), reconnects.sum(), notRecovered.sum(), replayed.sum(), stuck.sum(), reasons, codes,
                someErrors);
    }

    /** Stops reconnects and closes every connection normally, waiting up to {@code wait} for the closes. */
    public void closeAll(Duration wait) throws InterruptedException {
        closing = true;
        reconnecting = false;
        gate.close();
        for (VirtualClient c : clients) {
            c.stop();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (progress) {
            while (live.get() > 0 && System.nanoTime() < deadline) {
                progress.wait(100);
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        reconnecting = false;
        gate.close();
        for (VirtualClient c : clients) {
            c.stop();
        }
        scheduler.shutdownNow();
    }

    // ---- called by the clients ----

    WsTransport transport() {
        return transport;
    }

    FrameReader frames() {
        return frames;
    }

    DeliveryLedger ledger() {
        return ledger;
    }

    /**
     * From now on, also records apart the latency of each message's first delivery to the clients that
     * {@code clients} accepts (by index), e.g. those that stay connected while others reconnect.
     */
    public Recorder watch(IntPredicate clients) {
        Recorder recorder = LatencyBook.newRecorder();
        watched = new Watched(clients, recorder);
        return recorder;
    }

    void recordLatency(int client, int phase, long micros) {
        latency.record(phase, micros);
        Watched w = watched;
        if (w != null && w.clients().test(client)) {
            w.latency().recordValue(Math.max(0, Math.min(LatencyBook.HIGHEST_MICROS, micros)));
        }
    }

    private record Watched(IntPredicate clients, Recorder latency) {
    }

    MicroClock clock() {
        return clock;
    }

    /** A token for client {@code index}: with the channels its session joins at connect, when it has any. */
    String token(int index, UserId user) {
        List<String> channels = ledger.channels().channelsOf(index);
        return channels.isEmpty() ? tokens.issue(user) : tokens.issue(user, channels);
    }

    void subscribed() {
        subscriptions.increment();
    }

    /** Channel subscriptions confirmed ({@code subscribed} frames) so far. */
    public long subscriptions() {
        return subscriptions.sum();
    }

    URI uri(int urlIndex, String token, String cursor) {
        URI base = settings.urls().get(Math.floorMod(urlIndex, settings.urls().size()));
        StringBuilder sb = new StringBuilder(base.toString()).append(base.getRawQuery() == null ? '?' : '&')
                .append("access_token=").append(token);
        if (cursor != null) {
            sb.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return URI.create(sb.toString());
    }

    void watch(VirtualClient client, int attempt) {
        attempts.increment();
        schedule(() -> client.abortIfStuck(attempt), settings.welcomeTimeout().toMillis());
    }

    void stuck() {
        stuck.increment();
    }

    void upgraded(long nanos) {
        handshakeTimes.recordValue(Math.min(LatencyBook.HIGHEST_MICROS, nanos / 1_000));
    }

    void welcomed(VirtualClient client, long nanos, ServerFrame.Welcome welcome, boolean first) {
        welcomeTimes.recordValue(Math.min(LatencyBook.HIGHEST_MICROS, nanos / 1_000));
        if (first) {
            synchronized (everWelcomed) {
                everWelcomed.set(client.index());
            }
        } else {
            reconnects.increment();
        }
        if (!welcome.recovered()) {
            notRecovered.increment();
            notRecoveredReasons.computeIfAbsent(String.valueOf(welcome.reason()), k -> new LongAdder()).increment();
        }
        replayed.add(welcome.replayed());
        live.incrementAndGet();
        release(client);
        if (closing) {
            client.stop();
        }
    }

    void connectFailed(VirtualClient client, Throwable error, boolean neverWelcomed) {
        failures.increment();
        noteError(error.toString());
        release(client);
        afterLoss(client, neverWelcomed);
    }

    void closed(VirtualClient client, boolean wasLive, int code, boolean neverWelcomed) {
        if (wasLive) {
            live.decrementAndGet();
            drops.increment();
        } else {
            failures.increment();
        }
        closeCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
        release(client);
        afterLoss(client, neverWelcomed);
    }

    private void afterLoss(VirtualClient client, boolean neverWelcomed) {
        if (reconnecting && !client.isStopped() && (!neverWelcomed || retryFirstConnect)) {
            schedule(() -> client.connect(), settings.reconnect().delayMillis(client.failuresInARow() - 1));
        } else if (neverWelcomed) {
            neverConnected.increment();
        }
        signal();
    }

    private void release(VirtualClient client) {
        gate.release(client);
        signal();
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Not scheduling after close: {}", e.toString());
        }
    }

    private void noteError(String error) {
        synchronized (errors) {
            if (errors.size() < 10 && !errors.contains(error)) {
                errors.add(error);
            }
        }
    }

    private void signal() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }
}
