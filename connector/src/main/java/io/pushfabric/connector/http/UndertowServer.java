package io.pushfabric.connector.http;

import io.pushfabric.connector.auth.JwtAuthenticator;
import io.pushfabric.connector.session.ClientSession;
import io.pushfabric.connector.session.SessionLifecycle;
import io.pushfabric.connector.session.SessionMetrics;
import io.pushfabric.connector.session.TokenExpiry;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.frames.BadFrameException;
import io.pushfabric.contracts.frames.ClientFrame;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
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
    private static final AttachmentKey<Instant> TOKEN_VALID_UNTIL = AttachmentKey.create(Instant.class);

    private final WebSocketSettings settings;
    private final JwtAuthenticator auth;
    private final SessionLifecycle lifecycle;
    private final SessionMetrics metrics;
    private final BooleanSupplier ready;
    private final Supplier<String> metricsText;
    private final ScheduledExecutorService scheduler;
    private final FrameCodec frames = new FrameCodec();
    private final RefreshFrames refreshes;
    private final OriginCheck origins;
    private final Set<UndertowSession> sockets = ConcurrentHashMap.newKeySet();
    private final Undertow undertow;
    private final ReloadingPemKeyManager tls;
    private volatile boolean acceptingUpgrades = true;
    private ScheduledFuture<?> pinger;

    public UndertowServer(WebSocketSettings settings, JwtAuthenticator auth, SessionLifecycle lifecycle,
                          Set<String> allowedOrigins, SessionMetrics metrics, TokenExpiry tokenExpiry,
                          BooleanSupplier ready, Supplier<String> metricsText, TlsSettings tls,
                          ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.auth = auth;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.ready = ready;
        this.metricsText = metricsText;
        this.scheduler = scheduler;
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
                    text(exchange, ok ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, ok ? "ready\n" : "not ready\n");
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

    public int openSockets() {
        return sockets.size();
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
            text(exchange, StatusCodes.SERVICE_UNAVAILABLE, "{\"error\":\"draining\"}\n");
            return;
        }
        if (!origins.allows(exchange.getRequestHeaders().getFirst(Headers.ORIGIN))) {
            metrics.authRefused();
            text(exchange, StatusCodes.FORBIDDEN, "{\"error\":\"forbidden\",\"reason\":\"origin\"}\n");
            return;
        }
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
        exchange.putAttachment(USER, result.user());
        exchange.putAttachment(TOKEN_VALID_UNTIL, result.validUntil());
        String cursor = queryParam(exchange, "cursor");
        if (cursor != null) {
            exchange.putAttachment(CURSOR, cursor);
        }
        next.handleRequest(exchange);
    }

    private void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        UserId user = exchange.getAttachment(USER);
        UndertowSession socket = new UndertowSession(channel, settings.sendQueueLimit());
        channel.setIdleTimeout(settings.idleTimeout().toMillis());
        sockets.add(socket);
        ClientSession session = lifecycle.open(user, exchange.getAttachment(CURSOR), socket);
        session.tokenValidUntil(exchange.getAttachment(TOKEN_VALID_UNTIL).toEpochMilli());
        channel.addCloseTask(ch -> {
            sockets.remove(socket);
            lifecycle.closed(session);
        });
        channel.getReceiveSetter().set(new ClientFrames(session));
        channel.resumeReceives();
    }

    private void pingAll() {
        for (UndertowSession s : sockets) {
            try {
                s.ping();
            } catch (RuntimeException e) {
                LOG.debug("Ping failed: {}", e.toString());
            }
        }
    }

    /** What a client may send: ping and refresh frames. Anything else gets an error frame; the session stays. */
    private final class ClientFrames extends AbstractReceiveListener {
        private final ClientSession session;

        ClientFrames(ClientSession session) {
            this.session = session;
        }

        @Override
        protected long getMaxTextBufferSize() {
            return FrameCodec.MAX_CLIENT_FRAME_CHARS * 4L;
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            try {
                ClientFrame frame = frames.decodeClient(message.getData());
                if (frame instanceof ClientFrame.Ping) {
                    session.sendControl(frames.encode(new ServerFrame.Pong()));
                } else if (frame instanceof ClientFrame.Refresh refresh) {
                    if (auth.mayBlock()) {
                        channel.getWorker().execute(() -> session.sendControl(refreshes.answer(session, refresh.token())));
                    } else {
                        session.sendControl(refreshes.answer(session, refresh.token()));
                    }
                }
            } catch (BadFrameException e) {
                session.sendControl(frames.encode(new ServerFrame.Error("bad_frame", e.getMessage())));
            }
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            session.sendControl(frames.encode(new ServerFrame.Error("bad_frame", "binary frames are not supported")));
        }
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
