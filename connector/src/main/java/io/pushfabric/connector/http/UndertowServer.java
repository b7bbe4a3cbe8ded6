package io.pushfabric.connector.http;

import io.pushfabric.connector.auth.JwtAuthenticator;
import io.pushfabric.connector.limits.ConnectionSlots;
import io.pushfabric.connector.limits.EdgeLimits;
import io.pushfabric.connector.limits.Refusal;
import io.pushfabric.connector.limits.UpgradeGate;
import io.pushfabric.connector.session.ClientSession;
import io.pushfabric.connector.session.SessionLifecycle;
import io.pushfabric.connector.session.SessionMetrics;
import io.pushfabric.connector.session.TokenExpiry;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.FrameCodec;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The connector's HTTP side: {@code /ws} (authenticated WebSocket upgrade), {@code /healthz},
 * {@code /readyz} and {@code /metrics}. The JWT is checked before the upgrade: a missing, bad or expired
 * token gets HTTP 401 and no session.
 */
public final class UndertowServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UndertowServer.class);
    private static final AttachmentKey<UserId> USER = AttachmentKey.create(UserId.class);
    private static final AttachmentKey<String> CURSOR = AttachmentKey.create(String.class);
    private static final AttachmentKey<ConnectionSlots.Slot> SLOT = AttachmentKey.create(ConnectionSlots.Slot.class);
    private static final AttachmentKey<Instant> TOKEN_VALID_UNTIL = AttachmentKey.create(Instant.class);

    private final WebSocketSettings settings;
    private final JwtAuthenticator auth;
    private final EdgeLimits limits;
    private final SessionLifecycle lifecycle;
    private final SessionMetrics metrics;
    private final BooleanSupplier ready;
    private final Supplier<String> metricsText;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final FrameCodec frames = new FrameCodec();
    private final RefreshFrames refreshes;
    private final OriginCheck origins;
    private final Set<UndertowSession> sockets = ConcurrentHashMap.newKeySet();
    private final Undertow undertow;
    private final ReloadingPemKeyManager tls;
    private volatile boolean acceptingUpgrades = true;
    private ScheduledFuture<?> pinger;

    public UndertowServer(WebSocketSettings settings, JwtAuthenticator auth, EdgeLimits limits, Set<String> allowedOrigins,
                          SessionLifecycle lifecycle, SessionMetrics metrics, TokenExpiry tokenExpiry,
                          BooleanSupplier ready, Supplier<String> metricsText, TlsSettings tls,
                          ScheduledExecutorService scheduler, Clock clock) {
        this.settings = settings;
        this.auth = auth;
        this.limits = limits;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.ready = ready;
        this.metricsText = metricsText;
        this.scheduler = scheduler;
        this.clock = clock;
        this.refreshes = new RefreshFrames(auth, tokenExpiry, frames);
        this.origins = new OriginCheck(allowedOrigins);
        WebSocketProtocolHandshakeHandler handshake = Handlers.websocket(this::onConnect);
        HttpHandler routes = Handlers.path()
                .addExactPath("/ws", exchange -> {
                    if (auth.mayBlock() && exchange.isInIoThread()) {
                        exchange.dispatch(ex -> authenticate(ex, handshake)); // a JWKS fetch must not stall I/O
                    } else {
                        authenticate(exchange, handshake);
                    }
                })
                .addExactPath("/healthz", exchange -> text(exchange, StatusCodes.OK, "ok\n"))
                .addExactPath("/readyz", exchange -> {
                    boolean ok = ready.getAsBoolean() && acceptingUpgrades;
                    Refusal.Reason shedding = ok ? limits.gate().notReadyReason() : null;
                    String body = !ok ? "not ready\n" : shedding != null ? shedding.tag() + "\n" : "ready\n";
                    text(exchange, ok && shedding == null ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
                })
                .addExactPath("/metrics", exchange -> text(exchange, StatusCodes.OK, metricsText.get()));
        this.tls = tls == null ? null : new ReloadingPemKeyManager(tls);
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
        acceptingUpgrades = false;
    }

    @Override
    public void close() {
        acceptingUpgrades = false;
        if (pinger != null) {
            pinger.cancel(false);
        }
        undertow.stop();
    }

    private void authenticate(HttpServerExchange exchange, HttpHandler next) throws Exception {
        if (!acceptingUpgrades) {
            refuse(exchange, limits.gate().draining());
            return;
        }
        if (!ready.getAsBoolean()) {
            refuse(exchange, limits.gate().notReady());
            return;
        }
        if (!origins.allows(exchange.getRequestHeaders().getFirst(Headers.ORIGIN))) {
            metrics.authRefused();
            text(exchange, StatusCodes.FORBIDDEN, "{\"error\":\"forbidden\",\"reason\":\"origin\"}\n");
            return;
        }
        String address = limits.addresses().of(exchange.getSourceAddress().getAddress(),
                exchange.getRequestHeaders().getFirst(Headers.X_FORWARDED_FOR));
        UpgradeGate.Entry entry = limits.gate().enter(address);
        if (entry.refusal() != null) {
            refuse(exchange, entry.refusal());
            return;
        }
        ConnectionSlots.Slot slot = entry.slot();
        // Held until the connection closes; an upgrade that ends in anything but 101 gives it back here.
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            if (ex.getStatusCode() != StatusCodes.SWITCHING_PROTOCOLS) {
                slot.release();
            }
            nextListener.proceed();
        });
        String token = null;
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7);
        } else {
            token = queryParam(exchange, "access_token");
        }
        JwtAuthenticator.Result result = auth.authenticate(token);
        if (!result.isOk()) {
            metrics.authRefused();
            LOG.debug("Refused upgrade from {}: {}", exchange.getSourceAddress(), result.failure());
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            text(exchange, StatusCodes.UNAUTHORIZED,
                    "{\"error\":\"unauthorized\",\"reason\":\"" + result.failure().name().toLowerCase() + "\"}\n");
            return;
        }
        Refusal refusal = limits.gate().admit(slot, result.user());
        if (refusal != null) {
            refuse(exchange, refusal);
            return;
        }
        exchange.putAttachment(USER, result.user());
        exchange.putAttachment(SLOT, slot);
        exchange.putAttachment(TOKEN_VALID_UNTIL, result.validUntil());
        String cursor = queryParam(exchange, "cursor");
        if (cursor != null) {
            exchange.putAttachment(CURSOR, cursor);
        }
        next.handleRequest(exchange);
    }

    private void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        UserId user = exchange.getAttachment(USER);
        UndertowSession socket = new UndertowSession(channel, settings.sendQueueLimit(), clock.millis());
        sockets.add(socket);
        ClientSession session = lifecycle.open(user, exchange.getAttachment(CURSOR), socket);
        socket.closeIdleThrough(() -> session.close(CloseCodes.IDLE_TIMEOUT, "idle timeout"));
        ConnectionSlots.Slot slot = exchange.getAttachment(SLOT);
        session.tokenValidUntil(exchange.getAttachment(TOKEN_VALID_UNTIL).toEpochMilli());
        channel.addCloseTask(ch -> {
            slot.release();
            sockets.remove(socket);
            lifecycle.closed(session);
        });
        channel.getReceiveSetter().set(new ClientFrames(session, socket, frames, limits.frames(), refreshes, clock));
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

    private static void refuse(HttpServerExchange exchange, Refusal refusal) {
        LOG.debug("Refused upgrade from {}: {}", exchange.getSourceAddress(), refusal.reason().tag());
        if (refusal.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        text(exchange, refusal.reason().status(), "{\"error\":\"" + refusal.reason().tag() + "\"}\n");
    }

    private static String queryParam(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.peekFirst();
    }

    private static void text(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, body.startsWith("{") ? "application/json" : "text/plain");
        exchange.getResponseSender().send(body);
    }
}
