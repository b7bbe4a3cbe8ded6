package io.pushfabric.dispatcher.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.ControlMarker;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.routing.RouteResolver;
import io.pushfabric.registry.ChannelRoute;
import io.pushfabric.registry.InMemoryChannelRegistry;
import io.pushfabric.registry.InMemoryDedupeWindow;
import io.pushfabric.registry.InMemoryNodeRegistry;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.MutableClock;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeLeases;
import io.pushfabric.registry.SessionRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the batch decisions treat channel requests and subscription-opened markers; no Kafka, no Redis. */
class ChannelDispatchTest {
    private static final ChannelName LOBBY = ChannelName.of("chat:lobby");
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");
    private static final NodeId C = NodeId.of("node-c");

    private final MutableClock clock = new MutableClock();
    private final InMemoryRouteRegistry routes = new InMemoryRouteRegistry();
    private final InMemoryChannelRegistry channels = new InMemoryChannelRegistry();
    private final InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(clock);
    private final PushRequestCodec codec = new PushRequestCodec();
    private final DispatchMetrics metrics = new DispatchMetrics(new SimpleMeterRegistry(), clock);
    private final BatchDispatcher dispatcher = new BatchDispatcher(codec,
            new RouteResolver(routes, channels, nodes,
                    new RouteResolver.CacheSettings(1_000, Duration.ofSeconds(60), Duration.ofSeconds(1)), clock),
            new InMemoryDedupeWindow(clock), Duration.ofMinutes(10), nodes, metrics, clock, Duration.ofMillis(50),
            Duration.ofSeconds(30));
    private final RecordingSink sink = new RecordingSink();
    private final List<PolledRecord> batch = new ArrayList<>();
    private long nextOffset;

    @BeforeEach
    void nodesAAndBAreLiveAndCIsDead() {
        NodeLeases leases = new NodeLeases(nodes);
        leases.beat(new NodeInfo(A, "a:8080", 0L, 0, clock.millis()), Duration.ofMinutes(10));
        leases.beat(new NodeInfo(B, "b:8080", 0L, 0, clock.millis()), Duration.ofMinutes(10));
    }

    private void add(PushRequest request) {
        batch.add(new PolledRecord(new MessagePosition(0, nextOffset++), RoutingKeys.of(request), codec.encode(request),
                false));
    }

    private void addToLobby(String text) {
        add(PushRequest.toChannel(LOBBY, JsonNodeFactory.instance.textNode(text)).withMessageId("m-" + text));
    }

    @Test
    void aChannelMessageIsOneDeliveryPerLiveNodeWithSubscribersCarryingTheChannel() {
        channels.register(new ChannelRoute(LOBBY, A, "t1"));
        channels.register(new ChannelRoute(LOBBY, B, "t2"));
        channels.register(new ChannelRoute(LOBBY, C, "t3")); // dead node: ignored
        addToLobby("1");
        addToLobby("2");

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(0L, 1L);
        assertThat(sink.offsetsAt(B)).containsExactly(0L, 1L);
        assertThat(sink.offsetsAt(C)).isEmpty();
        assertThat(sink.delivered.get(A)).extracting(d -> d.request().channel()).containsOnly(LOBBY);
        assertThat(metrics.count("routed")).isEqualTo(2);
    }

    @Test
    void aChannelNobodySubscribesCountsAsOffline() {
        addToLobby("1");

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.delivered).isEmpty();
        assertThat(metrics.count("offline")).isEqualTo(1);
    }

    @Test
    void subscriptionOpenedMarkerMakesTheBatchSeeTheNewChannelRoute() {
        addToLobby("before"); // resolves and caches "nobody subscribes"
        dispatcher.dispatch(batch, 1, sink);
        batch.clear();
        channels.register(new ChannelRoute(LOBBY, A, "t1"));
        batch.add(new PolledRecord(new MessagePosition(0, nextOffset++), LOBBY.routingKey(),
                ControlMarker.subscriptionOpened(LOBBY, A).encode(), true));
        addToLobby("after");

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(2L);
    }

    @Test
    void dedupeIsScopedByChannelSoTheSameIdForAUserAndAChannelReachesBoth() {
        UserId alice = UserId.of("alice");
        routes.register(new SessionRoute(alice, "s1", A));
        channels.register(new ChannelRoute(LOBBY, A, "t1"));
        addToLobby("x");
        add(PushRequest.toUser(alice, JsonNodeFactory.instance.textNode("x")).withMessageId("m-x"));
        addToLobby("x"); // the same id for the same channel: a duplicate

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.delivered.get(A)).extracting(Delivery::position)
                .containsExactly(new MessagePosition(0, 0), new MessagePosition(0, 1));
        assertThat(metrics.duplicate.count()).isEqualTo(1);
    }
}
