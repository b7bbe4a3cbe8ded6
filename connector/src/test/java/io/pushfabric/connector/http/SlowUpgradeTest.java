package io.pushfabric.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.connector.ConnectorConfig;
import io.pushfabric.connector.auth.JwtAuthenticator;
import io.pushfabric.connector.limits.EdgeLimits;
import io.pushfabric.connector.session.ChannelMetrics;
import io.pushfabric.connector.session.ChannelSubscriptions;
import io.pushfabric.connector.session.LocalChannels;
import io.pushfabric.connector.session.LocalSessions;
import io.pushfabric.connector.session.MarkerLog;
import io.pushfabric.connector.session.ReplaySource;
import io.pushfabric.connector.session.RequestsTopic;
import io.pushfabric.connector.session.SessionLifecycle;
import io.pushfabric.connector.session.SessionMetrics;
import io.pushfabric.connector.session.TokenExpiry;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.InMemoryChannelMembers;
import io.pushfabric.registry.InMemoryChannelRegistry;
import io.pushfabric.registry.InMemoryRouteRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade's admission (token check, limits) must not run on an I/O thread. When it did, a reconnect storm of
 * 10,000 clients kept the survivor's I/O threads in upgrade after upgrade for about 15 s: its open connections got no
 * frame in that time, and every welcome went out in a burst at the end. Here one admission is held (as a slow
 * token check would be) on a server with a single I/O thread, and another client must still get its welcome.
 */
class SlowUpgradeTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final NodeId NODE = NodeId.of("node-a");
    private static final RequestsTopic TOPIC = new RequestsTopic("topic-1", 4);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService sessionThreads = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean holdNext = new AtomicBoolean();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private UndertowServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
        sessionThreads.shutdownNow();
        scheduler.shutdownNow();
    }

    @Test
    void aHeldAdmissionDoesNotHoldUpOtherConnections() throws Exception {
        server = server();
        server.start();

        holdNext.set(true);
        CompletableFuture<String> first = welcome("first");
        assertThat(held.await(10, TimeUnit.SECONDS)).as("the first upgrade's admission is held").isTrue();

        CompletableFuture<String> second = welcome("second");
        assertThat(second.get(10, TimeUnit.SECONDS)).as("the second client's welcome, while the first waits")
                .contains("\"type\":\"welcome\"");
        assertThat(first).isNotDone();

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).contains("\"type\":\"welcome\"");
    }

    /** The first text frame the client gets. */
    private CompletableFuture<String> welcome(String user) {
        CompletableFuture<String> frame = new CompletableFuture<>();
        String token = Jwts.builder().subject(user).expiration(Date.from(Instant.now().plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8))).compact();
        HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws?access_token=" + token),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                                frame.complete(data.toString());
                                return null;
                            }
                        })
                .whenComplete((socket, e) -> {
                    if (e != null) {
                        frame.completeExceptionally(e);
                    }
                });
        return frame;
    }

    private UndertowServer server() {
        ConnectorConfig config = ConnectorConfig.fromEnv(Map.of("PUSH_JWT_SECRET", SECRET, "PUSH_HOST", "127.0.0.1",
                "PUSH_PORT", "0", "PUSH_IO_THREADS", "1"));
        LocalSessions sessions = new LocalSessions();
        sessions.startBroadcastsAt(0, 0); // the node has joined
        SessionMetrics metrics = new SessionMetrics(meters, clock, sessions::size);
        MarkerLog markers = new MarkerLog() {
            @Override
            public CompletableFuture<MessagePosition> sessionOpened(UserId user) {
                return CompletableFuture.completedFuture(new MessagePosition(1, 0));
            }

            @Override
            public CompletableFuture<MessagePosition> subscriptionOpened(ChannelName channel) {
                return CompletableFuture.completedFuture(new MessagePosition(1, 0));
            }
        };
        ReplaySource replay = new ReplaySource() {
            @Override
            public CompletableFuture<Result> replay(UserId user, Map<Integer, Range> ranges) {
                return CompletableFuture.completedFuture(new Result.Incomplete("not in this test"));
            }

            @Override
            public CompletableFuture<Result> replayChannel(ChannelName channel, int partition, Range range) {
                return CompletableFuture.completedFuture(new Result.Incomplete("not in this test"));
            }
        };
        SessionLifecycle lifecycle = new SessionLifecycle(NODE, sessions, new InMemoryRouteRegistry(), markers, replay,
                TOPIC, config.session(), metrics, clock, sessionThreads);
        LocalChannels channels = new LocalChannels(new InMemoryChannelRegistry(), new InMemoryChannelMembers(), NODE,
                config.channels().maxSubscribersPerNode());
        ChannelSubscriptions subscriptions = new ChannelSubscriptions(NODE, channels, markers, replay, TOPIC,
                config.channels(), config.session(), new ChannelMetrics(meters, () -> 0, () -> 0), clock,
                sessionThreads);
        JwtAuthenticator auth = new JwtAuthenticator(config.auth(), clock);
        EdgePolicies policies = new EdgePolicies(auth, EdgeLimits.create(config.limits(), meters, clock), Set.of(),
                new TokenExpiry(meters, clock), null);
        return new UndertowServer(config.webSocket(), policies, lifecycle, new ChannelFrames(auth, config.channels(),
                subscriptions), metrics, this::readyOrHeld, () -> "", scheduler, clock);
    }

    /** Readiness is asked by every upgrade's admission: the first one after {@link #holdNext} waits here. */
    private boolean readyOrHeld() {
        if (holdNext.compareAndSet(true, false)) {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }
}
