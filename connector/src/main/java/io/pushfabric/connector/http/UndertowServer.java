package io.pushfabric.connector.http;

import io.pushfabric.connector.limits.ConnectionSlots;
import io.pushfabric.connector.limits.FrameLimits;
import io.pushfabric.connector.session.ClientSession;
import io.pushfabric.connector.session.SessionLifecycle;
import io.pushfabric.connector.session.SessionMetrics;
import io.pushfabric.connector.session.TokenExpiry;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.frames.FrameCodec;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.WebSocketChannel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.XnioIoThread;

/**
 * The connector's HTTP side: {@code /ws} (the WebSocket upgrade, let in or refused by
 * {@link UpgradeAdmission} before any session exists), {@code /healthz}, {@code /readyz} and {@code /metrics};
 * and, for open connections, the pings that keep them alive and drop idle peers.
 */
public final class UndertowServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UndertowServer.class);

    private final WebSocketSettings settings;
    private final UpgradeAdmission admission;
    private final FrameLimits frameLimits;
    private final SessionLifecycle lifecycle;
    private final ChannelFrames channels;
    private final SessionMetrics metrics;
    private final Supplier<String> metricsText;
    private final ScheduledExecutorService scheduler;
    /**
     * Admits upgrades, off the I/O threads. Not Undertow's own worker pool: with every upgrade run on it, a CI run
     * saw stopping Undertow spin forever in that pool's shutdown ({@code EnhancedQueueExecutor}, jboss-threads 3.9.2).
     */
    private final ExecutorService upgrades;
    private final Clock clock;
    private final FrameCodec frames = new FrameCodec();
    private final RefreshFrames refreshes;
    private final TokenExpiry tokenExpiry;
    private final Set<UndertowSession> sockets = ConcurrentHashMap.newKeySet();
    /** Frames to write, per I/O thread: see {@link IoThreadWrites}. */
    private final Map<XnioIoThread, IoThreadWrites> writes = new ConcurrentHashMap<>();
    private final Undertow undertow;
    private final ReloadingPemKeyManager tls;
    private ScheduledFuture<?> pinger;

    public UndertowServer(WebSocketSettings settings, EdgePolicies policies, SessionLifecycle lifecycle,
                          ChannelFrames channels, SessionMetrics metrics, BooleanSupplier ready, Supplier<String> metricsText,
                          ScheduledExecutorService scheduler, Clock clock) {
        this.settings = settings;
        this.admission = new UpgradeAdmission(policies.auth(), policies.limits(), policies.allowedOrigins(), ready,
                metrics);
        this.frameLimits = policies.limits().frames();
        this.lifecycle = lifecycle;
        this.channels = channels;
        this.metrics = metrics;
        this.metricsText = metricsText;
        this.scheduler = scheduler;
        this.clock = clock;
        this.tokenExpiry = policies.tokenExpiry();
        this.refreshes = new RefreshFrames(policies.auth(), tokenExpiry, frames);
        TlsSettings tlsSettings = policies.tls();
        WebSocketUpgrade handshake = new WebSocketUpgrade(this::onConnect);
        AtomicInteger upgradeThreads = new AtomicInteger();
        this.upgrades = Executors.newFixedThreadPool(Math.max(2, settings.ioThreads()), r -> {
            Thread t = new Thread(r, "pf-upgrade-" + upgradeThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpHandler routes = Handlers.path()
                .addExactPath("/ws", exchange -> {
                    if (exchange.isInIoThread()) {
                        // Off the I/O threads: under a storm of upgrades they would otherwise check token after token
                        // and write no frame to the connections already open (benchmarks.md, "A storm of upgrades ...").
                        exchange.dispatch(upgrades, ex -> upgrade(ex, handshake));
                    } else {
                        upgrade(exchange, handshake);
                    }
                })
                .addExactPath("/healthz", exchange -> text(exchange, StatusCodes.OK, "ok\n"))
                .addExactPath("/readyz", admission::answerReadiness)
                .addExactPath("/metrics", exchange -> text(exchange, StatusCodes.OK, metricsText.get()));
        this.tls = tlsSettings == null ? null : new ReloadingPemKeyManager(tlsSettings);
        Undertow.Builder builder = this.tls == null
                ? Undertow.builder().addHttpListener(settings.port(), settings.host())
                : Undertow.builder().addHttpsListener(settings.port(), settings.host(), this.tls.sslContext());
        this.undertow = builder
                .setIoThreads(settings.ioThreads())
                .setWorkerThreads(Math.max(2, settings.ioThreads()))
                .setServerOption(Options.REUSE_ADDRESSES, true)
                .setSocketOption(Options.TCP_NODELAY, true)
                .setSocketOption(Options.BACKLOG, 4096)
                .setHandler(routes)
                .build();
    }

    public void start() {
        undertow.start();
        long every = settings.pingInterval().toMillis();
        pinger = scheduler.scheduleAtFixedRate(this::pingAll, every, every, TimeUnit.MILLISECONDS);
        if (tls != null) {
            long check = tls.reloadCheck().toMillis();
            scheduler.scheduleAtFixedRate(tls::reloadIfChanged, check, check, TimeUnit.MILLISECONDS);
        }
        LOG.info("Listening on {}:{} ({})", settings.host(), port(), tls == null ? "ws://" : "wss://");
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** New upgrades get 503 from now on; open sessions are untouched. */
    public void refuseUpgrades() {
        admission.stopAccepting();
    }

    @Override
    public void close() {
        admission.stopAccepting();
        if (pinger != null) {
            pinger.cancel(false);
        }
        undertow.stop();
        upgrades.shutdownNow();
    }

    private void upgrade(HttpServerExchange exchange, WebSocketUpgrade handshake) throws Exception {
        UpgradeAdmission.Admitted admitted = admission.admit(exchange);
        if (admitted != null) {
            handshake.upgrade(exchange, admitted);
        }
    }

    private void onConnect(WebSocketChannel channel, UpgradeAdmission.Admitted admitted) {
        UndertowSession socket = new UndertowSession(channel,
                writes.computeIfAbsent(channel.getIoThread(), t -> new IoThreadWrites(t, metrics::socketWrite)),
                settings.sendQueueLimit(),
                clock.millis());
        sockets.add(socket);
        ClientSession session = lifecycle.open(admitted.user(), admitted.cursor(), socket);
        socket.closeIdleThrough(() -> session.close(CloseCodes.IDLE_TIMEOUT, "idle timeout"));
        tokenExpiry.watch(session, admitted.tokenValidUntil().toEpochMilli());
        ConnectionSlots.Slot slot = admitted.slot(); // the close task keeps only the slot, not what the upgrade brought
        channel.addCloseTask(ch -> {
            slot.release();
            sockets.remove(socket);
            // Undertow runs close tasks on an I/O thread that holds the channel's lock: the session learns of it on a
            // worker, so no thread takes a session's lock while holding a channel's (the lock order is explained in
            // UndertowSession), and a session busy under its lock never stalls that I/O thread's other connections.
            Runnable forget = () -> {
                lifecycle.closed(session);
                channels.closed(session);
                tokenExpiry.forget(session);
            };
            try {
                ch.getWorker().execute(forget);
            } catch (RejectedExecutionException e) {
                forget.run(); // the worker is stopping: no session thread writes any more
            }
        });
        channels.subscribeAtConnect(session, admitted.channels(), admitted.channelPositions());
        channel.getReceiveSetter().set(new ClientFrames(session, socket, frames, frameLimits, refreshes, channels,
                clock));
        channel.resumeReceives();
    }

    /**
     * Pings every peer, and drops those that sent nothing for the idle timeout: Undertow's own idle
     * timeout never fires while these pings are being written.
     */
    private void pingAll() {
        long now = clock.millis();
        long idleTimeout = settings.idleTimeout().toMillis();
        for (UndertowSession s : sockets) {
            try {
                if (s.isIdle(now, idleTimeout)) {
                    if (s.dropIdle()) {
                        metrics.idleDropped();
                    }
                    continue;
                }
                s.ping();
            } catch (RuntimeException e) {
                LOG.debug("Ping failed: {}", e.toString());
            }
        }
    }

    static void text(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, body.startsWith("{") ? "application/json" : "text/plain");
        exchange.getResponseSender().send(body);
    }
}
