package io.pushfabric.dispatcher.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import io.pushfabric.contracts.receipts.Receipt;
import io.pushfabric.contracts.receipts.Receipt.Status;
import io.pushfabric.contracts.receipts.ReceiptMode;
import io.pushfabric.dispatcher.receipts.DispatchReceipts;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receipts the dispatcher decides, per outcome, on in-memory registries and a recording sink. */
class BatchReceiptsTest {
    private static final UserId ALICE = UserId.of("alice");
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");

    private final MutableClock clock = new MutableClock();
    private final InMemoryRouteRegistry routes = new InMemoryRouteRegistry();
    private final InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(clock);
    private final PushRequestCodec codec = new PushRequestCodec();
    private final RecordingSink sink = new RecordingSink();
    private final List<Receipt> receipts = new ArrayList<>();
    private final List<PolledRecord> batch = new ArrayList<>();
    private long nextOffset;

    @BeforeEach
    void twoLiveNodes() {
        for (NodeId node : List.of(A, B)) {
            new NodeLeases(nodes).beat(new NodeInfo(node, node.value() + ":8080", 0L, 0, clock.millis()),
                    Duration.ofMinutes(10));
        }
    }

    private BatchDispatcher dispatcher(ReceiptMode mode) {
        RouteResolver resolver = new RouteResolver(routes, new InMemoryChannelRegistry(), nodes,
                new RouteResolver.CacheSettings(1_000, Duration.ofSeconds(60), Duration.ofSeconds(1)), clock);
        return new BatchDispatcher(codec, resolver, new InMemoryDedupeWindow(clock), Duration.ofMinutes(10), nodes,
                new DispatchMetrics(new SimpleMeterRegistry(), clock), clock, Duration.ofMillis(50),
                Duration.ofSeconds(30), new DispatchReceipts(mode, receipts::add, clock));
    }

    private MessagePosition add(PushRequest request) {
        MessagePosition at = new MessagePosition(0, nextOffset++);
        batch.add(new PolledRecord(at, RoutingKeys.of(request), codec.encode(request), false));
        return at;
    }

    private static PushRequest toAlice(String text) {
        return PushRequest.toUser(ALICE, JsonNodeFactory.instance.textNode(text)).withReceipt(true);
    }

    private MessagePosition addRaw(String key, String value) {
        MessagePosition at = new MessagePosition(0, nextOffset++);
        batch.add(new PolledRecord(at, key, value.getBytes(StandardCharsets.UTF_8), false));
        return at;
    }

    @Test
    void eachOutcomeGetsItsReceiptLinkedByPositionAndMessageId() {
        routes.register(new SessionRoute(ALICE, "s-1", A));
        routes.register(new SessionRoute(ALICE, "s-2", B));
        MessagePosition routed = add(toAlice("1").withMessageId("m-1"));
        MessagePosition duplicate = add(toAlice("1 again").withMessageId("m-1"));
        MessagePosition expired = add(toAlice("late").withExpiresAt(clock.millis() - 1));
        MessagePosition offline = add(PushRequest.toUser(UserId.of("bob"), JsonNodeFactory.instance.textNode("?"))
                .withReceipt(true));
        MessagePosition rejected = addRaw("alice", "{\"v\":1,\"user\":\"alice\",\"receipt\":true,\"messageId\":\"m-9\"}");

        dispatcher(ReceiptMode.REQUESTED).dispatch(batch, 1, sink);

        assertThat(receipts).as("in the requests' order, so one key's receipts from the dispatcher are in order")
                .extracting(Receipt::status, Receipt::position).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Status.ROUTED, routed),
                org.assertj.core.groups.Tuple.tuple(Status.DUPLICATE, duplicate),
                org.assertj.core.groups.Tuple.tuple(Status.EXPIRED, expired),
                org.assertj.core.groups.Tuple.tuple(Status.OFFLINE, offline),
                org.assertj.core.groups.Tuple.tuple(Status.REJECTED, rejected));
        Receipt r = receipts.stream().filter(x -> x.status() == Status.ROUTED).findFirst().orElseThrow();
        assertThat(r.nodes()).containsExactly(A, B);
        assertThat(r.messageId()).isEqualTo("m-1");
        assertThat(r.key()).isEqualTo("alice");
        Receipt rej = receipts.stream().filter(x -> x.status() == Status.REJECTED).findFirst().orElseThrow();
        assertThat(rej.reason()).isEqualTo("BAD_SCHEMA");
        assertThat(rej.detail()).isEqualTo("field 'payload' is required");
        assertThat(rej.messageId()).isEqualTo("m-9");
        assertThat(sink.delivered.get(A)).allMatch(d -> d.request().receipt());
    }

    @Test
    void requestsThatDoNotAskGetNoReceiptAndTheirDeliveriesNoFlag() {
        routes.register(new SessionRoute(ALICE, "s-1", A));
        add(PushRequest.toUser(ALICE, JsonNodeFactory.instance.textNode("quiet")));
        addRaw("alice", "not json");
        addRaw("alice", "{\"v\":1,\"user\":\"alice\"}");

        dispatcher(ReceiptMode.REQUESTED).dispatch(batch, 1, sink);

        assertThat(receipts).isEmpty();
        assertThat(sink.delivered.get(A)).noneMatch(d -> d.request().receipt());
    }

    @Test
    void modeAllGivesEveryRequestReceiptsEvenPoisonAndMarksItsDeliveries() {
        routes.register(new SessionRoute(ALICE, "s-1", A));
        add(PushRequest.toUser(ALICE, JsonNodeFactory.instance.textNode("quiet")));
        MessagePosition poison = addRaw("alice", "not json");

        dispatcher(ReceiptMode.ALL).dispatch(batch, 1, sink);

        assertThat(receipts).extracting(Receipt::status).containsExactlyInAnyOrder(Status.ROUTED, Status.REJECTED);
        assertThat(receipts).filteredOn(r -> r.position().equals(poison)).extracting(Receipt::reason)
                .containsExactly("NOT_JSON");
        assertThat(sink.delivered.get(A)).allMatch(d -> d.request().receipt());
    }

    @Test
    void modeOffGivesNoneEvenWhenAskedAndClearsTheFlag() {
        routes.register(new SessionRoute(ALICE, "s-1", A));
        add(toAlice("asks"));
        addRaw("alice", "{\"v\":1,\"user\":\"alice\",\"receipt\":true}");

        dispatcher(ReceiptMode.OFF).dispatch(batch, 1, sink);

        assertThat(receipts).isEmpty();
        assertThat(sink.delivered.get(A)).noneMatch(d -> d.request().receipt());
    }

    @Test
    void aRetriedBatchPublishesItsReceiptsOnceWhenItGoesThrough() {
        routes.register(new SessionRoute(ALICE, "s-1", A));
        add(toAlice("1"));
        addRaw("alice", "{\"v\":1,\"user\":\"alice\",\"receipt\":true}");
        sink.failLater.put(A, FailureScope.TRANSIENT);
        BatchDispatcher dispatcher = dispatcher(ReceiptMode.REQUESTED);

        assertThatThrownBy(() -> dispatcher.dispatch(batch, 1, sink)).isInstanceOf(BatchRetryException.class);
        assertThat(receipts).as("nothing before the batch went through").isEmpty();
        sink.failLater.clear();
        dispatcher.dispatch(batch, 1, sink);

        assertThat(receipts).extracting(Receipt::status).containsExactlyInAnyOrder(Status.ROUTED, Status.REJECTED);
    }

    @Test
    void aFencedNodeIsNotNamedAndARequestThatReachedNoNodeIsOffline() {
        routes.register(new SessionRoute(ALICE, "s-1", A));
        routes.register(new SessionRoute(ALICE, "s-2", B));
        routes.register(new SessionRoute(UserId.of("carol"), "s-3", B));
        sink.refuseAtOnce.put(B, FailureScope.NODE);
        add(toAlice("1"));
        MessagePosition carol = add(PushRequest.toUser(UserId.of("carol"), JsonNodeFactory.instance.textNode("c"))
                .withReceipt(true));

        dispatcher(ReceiptMode.REQUESTED).dispatch(batch, 1, sink);

        assertThat(receipts).filteredOn(r -> r.status() == Status.ROUTED).singleElement()
                .satisfies(r -> assertThat(r.nodes()).containsExactly(A));
        assertThat(receipts).filteredOn(r -> r.position().equals(carol)).extracting(Receipt::status)
                .containsExactly(Status.OFFLINE);
    }
}
