package io.pushfabric.dispatcher.loop;

import io.pushfabric.client.KeyPartitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.ControlMarker;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.routing.RouteResolver;
import io.pushfabric.registry.InMemoryChannelRegistry;
import io.pushfabric.registry.InMemoryDedupeWindow;
import io.pushfabric.registry.InMemoryNodeRegistry;
import io.pushfabric.registry.InMemoryRouteRegistry;
import io.pushfabric.registry.MutableClock;
import io.pushfabric.registry.NodeInfo;
import io.pushfabric.registry.NodeLeases;
import io.pushfabric.registry.SessionRoute;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch decisions on in-memory registries and a recording sink: no Kafka, no Redis. */
class BatchDispatcherTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final Duration NODE_FAILURE_LIMIT = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final InMemoryRouteRegistry routes = new InMemoryRouteRegistry();
    private final InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(clock);
    private final NodeLeases leases = new NodeLeases(nodes);
    private final PushRequestCodec codec = new PushRequestCodec();
    private final DispatchMetrics metrics = new DispatchMetrics(new SimpleMeterRegistry(), clock);
    private final RouteResolver resolver = new RouteResolver(routes, new InMemoryChannelRegistry(), nodes,
            new RouteResolver.CacheSettings(1_000, Duration.ofSeconds(60), Duration.ofSeconds(1)), clock);
    private final BatchDispatcher dispatcher = new BatchDispatcher(codec, resolver,
            new InMemoryDedupeWindow(clock), Duration.ofMinutes(10), nodes, metrics, clock, Duration.ofMillis(50),
            NODE_FAILURE_LIMIT);
    private final RecordingSink sink = new RecordingSink();
    private final List<PolledRecord> batch = new ArrayList<>();
    private long nextOffset;
    private int sessions;

    @BeforeEach
    void twoLiveNodes() {
        live(A);
        live(B);
    }

    private void live(NodeId node) {
        leases.beat(new NodeInfo(node, node.value() + ":8080", 0L, 0, clock.millis()), LEASE);
    }

    private void connect(UserId user, NodeId node) {
        routes.register(new SessionRoute(user, "s-" + sessions++, node));
    }

    private PolledRecord add(PushRequest request) {
        PolledRecord record = new PolledRecord(new MessagePosition(0, nextOffset++), RoutingKeys.of(request),
                codec.encode(request), false);
        batch.add(record);
        return record;
    }

    private PolledRecord add(UserId user, String text) {
        return add(PushRequest.toUser(user, JsonNodeFactory.instance.textNode(text)));
    }

    private void addRaw(String key, String value) {
        batch.add(new PolledRecord(new MessagePosition(0, nextOffset++), key,
                value.getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void deliversInRecordOrderToEveryLiveNodeOfTheUser() {
        connect(ALICE, A);
        connect(ALICE, B);
        connect(BOB, B);
        add(ALICE, "1");
        add(BOB, "2");
        add(ALICE, "3");

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(0L, 2L);
        assertThat(sink.offsetsAt(B)).containsExactly(0L, 1L, 2L);
        assertThat(metrics.count("routed")).isEqualTo(3);
    }

    @Test
    void aNodesDeliveriesOfOneBatchTravelAsOneRecordInRecordOrder() {
        connect(ALICE, A);
        connect(BOB, B);
        connect(BOB, A);
        for (int i = 0; i < 50; i++) {
            add(i % 2 == 0 ? ALICE : BOB, "m" + i);
        }

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.records.get(A)).as("one record of 50 deliveries").containsExactly(50);
        assertThat(sink.records.get(B)).containsExactly(25);
        assertThat(sink.offsetsAt(A)).isSorted().hasSize(50);
        assertThat(sink.offsetsAt(B)).isSorted().hasSize(25);
        assertThat(metrics.recordDeliveries.count()).isEqualTo(2);
        assertThat(metrics.recordDeliveries.totalAmount()).isEqualTo(75);
    }

    @Test
    void deliveryTooLargeForAnyRecordIsDeadLetteredAloneAndItsNeighboursDelivered() {
        connect(ALICE, A);
        sink.maxRecordBytes = 2_000;
        add(ALICE, "1");
        add(ALICE, "x".repeat(4_000));
        add(ALICE, "3");

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(0L, 2L);
        assertThat(sink.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.record().position().offset()).isEqualTo(1L);
            assertThat(d.reason()).isEqualTo(BatchDispatcher.UNDELIVERABLE);
        });
        assertThat(nodes.liveNodes()).as("the record's fault, not the node's").containsExactlyInAnyOrder(A, B);
        assertThat(metrics.count("routed")).isEqualTo(2);
    }

    @Test
    void broadcastGoesToEveryLiveNodeAndOfflineUsersToNone() {
        add(PushRequest.broadcast(JsonNodeFactory.instance.textNode("all")));
        add(BOB, "nobody home");

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(0L);
        assertThat(sink.offsetsAt(B)).containsExactly(0L);
        assertThat(metrics.count("offline")).isEqualTo(1);
    }

    @Test
    void sessionOpenedMarkerMakesTheBatchSeeTheNewRoute() {
        add(ALICE, "before"); // resolves and caches "no route"
        dispatcher.dispatch(batch, 1, sink);
        batch.clear();
        connect(ALICE, A);
        batch.add(new PolledRecord(new MessagePosition(0, nextOffset++), ALICE.value(),
                ControlMarker.sessionOpened(ALICE, A).encode(), true));
        add(ALICE, "after");

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(2L);
        assertThat(metrics.markers.count()).isEqualTo(1);
    }

    @Test
    void poisonIsDeadLetteredAndTheRestOfTheBatchDelivered() {
        connect(ALICE, A);
        add(ALICE, "1");
        addRaw(ALICE.value(), "not json");
        add(ALICE, "3");

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(0L, 2L);
        assertThat(sink.deadLetters).singleElement()
                .satisfies(d -> assertThat(d.record().position().offset()).isEqualTo(1L));
        assertThat(metrics.count("dead_lettered")).isEqualTo(1);
        assertThat(metrics.deadLetters("NOT_JSON")).isEqualTo(1);
        assertThat(metrics.deadLetters("BAD_SCHEMA")).isZero();
    }

    @Test
    void recordOutsideItsKeysPartitionIsDeadLetteredNotDelivered() {
        connect(ALICE, A);
        int partitions = 4;
        int home = KeyPartitions.of(ALICE.value(), partitions);
        PushRequest request = PushRequest.toUser(ALICE, JsonNodeFactory.instance.textNode("x"));
        batch.add(new PolledRecord(new MessagePosition((home + 1) % partitions, 7), ALICE.value(),
                codec.encode(request), false));
        batch.add(new PolledRecord(new MessagePosition(home, 8), ALICE.value(), codec.encode(request), false));

        dispatcher.dispatch(batch, partitions, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(8L);
        assertThat(sink.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("WRONG_PARTITION");
            assertThat(d.detail()).contains("maps to partition " + home).contains("murmur2_random");
        });
    }

    @Test
    void sameMessageIdForTwoUsersReachesBoth() {
        connect(ALICE, A);
        connect(BOB, B);
        add(PushRequest.toUser(ALICE, JsonNodeFactory.instance.textNode("a")).withMessageId("digest"));
        add(PushRequest.toUser(BOB, JsonNodeFactory.instance.textNode("b")).withMessageId("digest"));

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(0L);
        assertThat(sink.offsetsAt(B)).containsExactly(1L);
        assertThat(metrics.count("duplicate")).isZero();
    }

    @Test
    void expiredAndDuplicateRequestsAreDropped() {
        connect(ALICE, A);
        add(PushRequest.toUser(ALICE, JsonNodeFactory.instance.textNode("x")).withMessageId("m1"));
        add(PushRequest.toUser(ALICE, JsonNodeFactory.instance.textNode("x")).withMessageId("m1"));
        add(PushRequest.toUser(ALICE, JsonNodeFactory.instance.textNode("late")).withExpiresAt(clock.millis() - 1));

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(0L);
        assertThat(metrics.count("duplicate")).isEqualTo(1);
        assertThat(metrics.count("expired")).isEqualTo(1);
    }

    @Test
    void nodeRefusedAtOnceIsFencedAndGetsNothingMoreWhileOthersGetTheWholeBatch() {
        connect(ALICE, A);
        connect(BOB, B);
        add(BOB, "1");
        add(ALICE, "2");
        add(BOB, "3");
        add(PushRequest.broadcast(JsonNodeFactory.instance.textNode("all")));
        sink.refuseAtOnce.put(B, FailureScope.NODE);

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(1L, 3L);
        assertThat(sink.offsetsAt(B)).isEmpty();
        assertThat(nodes.liveNodes()).as("B's lease evicted: its sessions resume elsewhere").containsExactly(A);
        assertThat(metrics.fenced.count()).isEqualTo(1);
        assertThat(leases.beat(new NodeInfo(B, "b:8080", 0L, 0, clock.millis()), LEASE))
                .as("B learns of the fence at its next heartbeat").isFalse();
    }

    @Test
    void nodeFailingAfterTheSendIsFencedAndLaterBatchesSkipIt() {
        connect(ALICE, A);
        connect(BOB, B);
        add(BOB, "1");
        add(ALICE, "2");
        sink.failLater.put(B, FailureScope.NODE);

        dispatcher.dispatch(batch, 1, sink);
        batch.clear();
        sink.failLater.clear();
        add(BOB, "3");
        add(ALICE, "4");
        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(1L, 3L);
        assertThat(sink.offsetsAt(B)).as("fenced node is no longer a target").isEmpty();
        assertThat(nodes.liveNodes()).containsExactly(A);
    }

    @Test
    void nodeThatNeverAnswersAndIsGoneIsFenced() {
        connect(ALICE, A);
        connect(BOB, B);
        add(BOB, "1");
        add(ALICE, "2");
        sink.silentAndGone = Set.of(B);

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.offsetsAt(A)).containsExactly(1L);
        assertThat(nodes.liveNodes()).containsExactly(A);
    }

    @Test
    void recordNoNodeCanTakeIsDeadLetteredAsUndeliverable() {
        connect(ALICE, A);
        connect(ALICE, B);
        add(ALICE, "1");
        sink.refuseAtOnce.put(A, FailureScope.RECORD);
        sink.refuseAtOnce.put(B, FailureScope.RECORD);

        dispatcher.dispatch(batch, 1, sink);

        assertThat(sink.deadLetters).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo(BatchDispatcher.UNDELIVERABLE));
        assertThat(nodes.liveNodes()).as("no node fenced for the record's fault").containsExactlyInAnyOrder(A, B);
        assertThat(metrics.count("dead_lettered")).isEqualTo(1);
        assertThat(metrics.deadLetters(BatchDispatcher.UNDELIVERABLE)).isEqualTo(1);
        assertThat(metrics.count("routed")).isZero();
    }

    /** Alice on A, Bob on B, one message each, and B's deliveries failing transiently. */
    private void bobsNodeFailsTransiently() {
        connect(ALICE, A);
        connect(BOB, B);
        add(ALICE, "1");
        add(BOB, "2");
        sink.failLater.put(B, FailureScope.TRANSIENT);
    }

    @Test
    void transientFailureAsksForARetryAndCountsNothing() {
        bobsNodeFailsTransiently();

        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);

        assertThat(nodes.liveNodes()).as("nobody fenced").containsExactlyInAnyOrder(A, B);
        assertThat(metrics.count("routed")).isZero();
    }

    @Test
    void nodeWhoseDeliveriesKeepFailingTransientlyIsFencedAfterTheLimitAndTheBatchGoesThrough() {
        bobsNodeFailsTransiently();
        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);
        clock.advance(NODE_FAILURE_LIMIT.minusSeconds(1));
        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);
        clock.advance(Duration.ofSeconds(1));

        dispatcher.dispatch(batch, 1, sink);

        assertThat(nodes.liveNodes()).containsExactly(A);
        assertThat(sink.offsetsAt(A)).as("A got the batch once per attempt").containsExactly(0L, 0L, 0L);
        assertThat(metrics.count("routed")).isEqualTo(1);
    }

    @Test
    void aBatchThatGoesThroughWithoutANodeEndsThatNodesFailureStreak() {
        connect(BOB, B);
        add(BOB, "1");
        sink.failLater.put(B, FailureScope.TRANSIENT);
        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);
        batch.clear();
        connect(ALICE, A);
        add(ALICE, "2");
        dispatcher.dispatch(batch, 1, sink); // B's users moved on: the retry no longer goes to B
        clock.advance(NODE_FAILURE_LIMIT);
        batch.clear();
        add(BOB, "3");

        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);

        assertThat(nodes.liveNodes()).as("one blip long after the old streak: B is not fenced").contains(B);
    }

    @Test
    void aSuccessfulDeliveryEndsANodesFailureStreak() {
        connect(BOB, B);
        add(BOB, "1");
        sink.failLater.put(B, FailureScope.TRANSIENT);
        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);
        sink.failLater.clear();
        dispatcher.dispatch(batch, 1, sink);
        clock.advance(NODE_FAILURE_LIMIT);
        sink.failLater.put(B, FailureScope.TRANSIENT);

        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);

        assertThat(nodes.liveNodes()).as("a new streak starts: B is not fenced").contains(B);
    }

    @Test
    void failedDeadLetterAsksForARetry() {
        addRaw("k", "not json");
        sink.deadLetterFailure = FailureScope.RECORD;

        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);
    }
}
