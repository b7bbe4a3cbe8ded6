package io.pushfabric.connector.session;

import static io.pushfabric.connector.session.Sessions.ALICE;
import static io.pushfabric.connector.session.Sessions.BOB;
import static io.pushfabric.connector.session.Sessions.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import io.pushfabric.registry.ChannelRegistry;
import io.pushfabric.registry.ChannelRoute;
import io.pushfabric.registry.InMemoryChannelMembers;
import io.pushfabric.registry.InMemoryChannelRegistry;
import io.pushfabric.registry.TransientRegistryException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Channel subscriptions on fakes of the marker log and replay, the in-memory registry and a recording sink. */
class ChannelSubscriptionsTest {
    private static final NodeId NODE = NodeId.of("node-a");
    private static final RequestsTopic TOPIC = new RequestsTopic("topic-1", 4);
    private static final ChannelName LOBBY = ChannelName.of("chat:lobby");
    private static final int PARTITION = 3;
    private static final long MARKER_OFFSET = 40;
    private static final long FENCE = MARKER_OFFSET + 1;
    private static final SessionSettings SESSION_SETTINGS = new SessionSettings(100, Duration.ofSeconds(15));

    private final FrameCodec codec = new FrameCodec();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionMetrics sessionMetrics = Sessions.metrics(meters);
    private final InMemoryChannelRegistry registry = new InMemoryChannelRegistry();
    private final InMemoryChannelMembers members = new InMemoryChannelMembers();
    private LocalChannels local;

    private ChannelSubscriptions subscriptions(ChannelRegistry channels, ReplaySource replay, int maxPerSession,
                                               int maxPerNode) {
        local = new LocalChannels(channels, members, NODE, maxPerNode);
        return new ChannelSubscriptions(NODE, local, FakeMarkerLog.at(new MessagePosition(PARTITION, MARKER_OFFSET)),
                replay, TOPIC, new ChannelSettings(Map.of(), maxPerSession, maxPerNode), SESSION_SETTINGS,
                new ChannelMetrics(meters, () -> 0, () -> 0), CLOCK, Runnable::run);
    }

    private ChannelSubscriptions subscriptions(ReplaySource replay) {
        return subscriptions(registry, replay, 10, 10);
    }

    private static ClientSession started(RecordingSink sink) {
        ClientSession session = new ClientSession("s-" + System.identityHashCode(sink), ALICE, sink, 100,
                Sessions.metrics(), 0);
        session.start("welcome", List.of());
        return session;
    }

    private static Delivery inLobby(long offset) {
        return new Delivery(new MessagePosition(PARTITION, offset),
                PushRequest.toChannel(LOBBY, TextNode.valueOf("lobby@" + offset)));
    }

    private void live(Delivery delivery) {
        local.deliver(delivery, Sessions.liveFrame(delivery));
    }

    private List<ServerFrame> serverFrames(RecordingSink sink) {
        return sink.frames().stream().filter(f -> f.startsWith("{")).map(codec::decodeServer).toList();
    }

    @Test
    void subscribeRegistersTheRouteAndConfirmsAtTheMarkerFence() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = started(sink);

        subscriptions(FakeReplaySource.complete()).subscribe(session, LOBBY, null).join();

        assertThat(registry.nodesOf(List.of(LOBBY))).containsEntry(LOBBY, Set.of(NODE));
        ServerFrame.Subscribed subscribed = (ServerFrame.Subscribed) serverFrames(sink).get(0);
        assertThat(subscribed.recovered()).isTrue();
        assertThat(subscribed.replayed()).isZero();
        assertThat(subscribed.position().format()).isEqualTo("topic-1,3:" + FENCE);
    }

    @Test
    void liveDeliveriesBelowTheFenceAreDroppedAndChannelPushesNeverMoveTheUserFence() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = started(sink);
        subscriptions(FakeReplaySource.complete()).subscribe(session, LOBBY, null).join();

        live(inLobby(FENCE - 1));
        live(inLobby(FENCE));
        live(inLobby(FENCE + 5));
        // The user shares the channel's partition; a user message below the channel's last offset still arrives.
        Delivery toAlice = Sessions.toUser(ALICE, PARTITION, FENCE + 1);
        session.offer(toAlice, Sessions.liveFrame(toAlice));

        assertThat(sink.frames()).endsWith("live 3-" + FENCE, "live 3-" + (FENCE + 5), "live 3-" + (FENCE + 1));
        assertThat(sink.frames()).doesNotContain("live 3-" + (FENCE - 1));
    }

    @Test
    void deliveriesWhileTheSubscriptionOpensWaitAndFollowTheReplay() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = started(sink);
        FakeReplaySource replay = FakeReplaySource.pendingUntilCompleted();
        ChannelSubscriptions subs = subscriptions(replay);

        subs.subscribe(session, LOBBY, "topic-1,3:30");
        live(inLobby(35)); // arrives live before the replay is done: below the fence, the replay has it
        live(inLobby(FENCE + 2));
        replay.answer().complete(new ReplaySource.Result.Complete(List.of(inLobby(30), inLobby(35))));

        assertThat(replay.requests()).extracting(FakeReplaySource.Request::ranges)
                .containsExactly(Map.of(PARTITION, new ReplaySource.Range(30, FENCE)));
        List<ServerFrame> frames = serverFrames(sink);
        ServerFrame.Subscribed subscribed = (ServerFrame.Subscribed) frames.get(0);
        assertThat(subscribed.recovered()).isTrue();
        assertThat(subscribed.replayed()).isEqualTo(2);
        assertThat(subscribed.position().format()).isEqualTo("topic-1,3:30");
        assertThat(frames.subList(1, 3)).extracting(f -> ((ServerFrame.Push) f).position().offset())
                .containsExactly(30L, 35L);
        assertThat(sink.frames().get(sink.frames().size() - 1)).isEqualTo("live 3-" + (FENCE + 2));
        assertThat(sink.frames()).doesNotContain("live 3-35");
    }

    @Test
    void aSubscriptionConfirmedBeforeTheWelcomeWaitsForIt() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = new ClientSession("s-1", ALICE, sink, 100, Sessions.metrics(), 0);
        subscriptions(FakeReplaySource.complete()).subscribe(session, LOBBY, null).join();
        assertThat(sink.frames()).isEmpty();

        session.start("welcome", List.of("replayed"));

        assertThat(sink.frames()).hasSize(3).startsWith("welcome", "replayed");
        assertThat(serverFrames(sink).get(0)).isInstanceOf(ServerFrame.Subscribed.class);
    }

    @Test
    void recoveryThatCannotBeCompleteSaysWhyAndReplaysNothing() {
        for (Map.Entry<String, String> c : Map.of(
                "garbage!!", "bad_position",
                "other-topic,3:30", "topic_changed",
                "topic-1,2:30", "bad_position",
                "topic-1,3:30,2:5", "bad_position").entrySet()) {
            RecordingSink sink = new RecordingSink();
            subscriptions(FakeReplaySource.complete(inLobby(30))).subscribe(started(sink), LOBBY, c.getKey()).join();
            ServerFrame.Subscribed subscribed = (ServerFrame.Subscribed) serverFrames(sink).get(0);
            assertThat(subscribed.recovered()).as(c.getKey()).isFalse();
            assertThat(subscribed.reason()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(subscribed.replayed()).isZero();
            assertThat(subscribed.position().format()).isEqualTo("topic-1,3:" + FENCE);
        }
        RecordingSink sink = new RecordingSink();
        subscriptions(FakeReplaySource.incomplete("retention")).subscribe(started(sink), LOBBY, "topic-1,3:1").join();
        assertThat(((ServerFrame.Subscribed) serverFrames(sink).get(0)).reason()).isEqualTo("retention");
        assertThat(sink.frames()).hasSize(2);
    }

    @Test
    void aPositionAtOrPastTheFenceReplaysNothingAndKeepsTheClientsPosition() {
        RecordingSink sink = new RecordingSink();
        ClientSession session = started(sink);
        subscriptions(FakeReplaySource.complete()).subscribe(session, LOBBY, "topic-1,3:" + (FENCE + 3)).join();
        live(inLobby(FENCE + 1));
        live(inLobby(FENCE + 3));

        ServerFrame.Subscribed subscribed = (ServerFrame.Subscribed) serverFrames(sink).get(0);
        assertThat(subscribed.recovered()).isTrue();
        assertThat(subscribed.position().format()).isEqualTo("topic-1,3:" + (FENCE + 3));
        assertThat(sink.frames()).endsWith("live 3-" + (FENCE + 3)).doesNotContain("live 3-" + (FENCE + 1));
    }

    @Test
    void limitsRefuseWithANamedReasonAndLeaveTheSessionAsItWas() {
        ChannelSubscriptions subs = subscriptions(registry, FakeReplaySource.complete(), 1, 1);
        RecordingSink aliceSink = new RecordingSink();
        ClientSession alice = started(aliceSink);
        subs.subscribe(alice, LOBBY, null).join();
        subs.subscribe(alice, LOBBY, null).join();
        subs.subscribe(alice, ChannelName.of("chat:other"), null).join();
        RecordingSink bobSink = new RecordingSink();
        ClientSession bob = new ClientSession("s-bob", BOB, bobSink, 100, Sessions.metrics(), 0);
        bob.start("welcome", List.of());
        subs.subscribe(bob, LOBBY, null).join();

        assertThat(serverFrames(aliceSink)).extracting(ServerFrame::getClass).containsExactly(
                ServerFrame.Subscribed.class, ServerFrame.ChannelRefused.class, ServerFrame.ChannelRefused.class);
        assertThat(serverFrames(aliceSink).subList(1, 3)).extracting(f -> ((ServerFrame.ChannelRefused) f).reason())
                .containsExactly("already_subscribed", "too_many_channels");
        assertThat(serverFrames(bobSink)).containsExactly(new ServerFrame.ChannelRefused("subscribe_refused",
                "chat:lobby", "channel_full", ChannelRefusal.CHANNEL_FULL.message()));
        live(inLobby(FENCE));
        assertThat(aliceSink.frames()).endsWith("live 3-" + FENCE);
        assertThat(bobSink.frames()).doesNotContain("live 3-" + FENCE);
        assertThat(meters.get("pushfabric.connector.channel.refused").tag("reason", "channel_full").counter().count())
                .isEqualTo(1);
    }

    @Test
    void unsubscribeStopsDeliveryAndTheLastOneOutRemovesTheRoute() {
        ChannelSubscriptions subs = subscriptions(FakeReplaySource.complete());
        RecordingSink sink = new RecordingSink();
        ClientSession session = started(sink);
        subs.subscribe(session, LOBBY, null).join();

        subs.unsubscribe(session, LOBBY, null);
        live(inLobby(FENCE));
        subs.unsubscribe(session, LOBBY, null);

        assertThat(registry.nodesOf(List.of(LOBBY))).containsEntry(LOBBY, Set.of());
        assertThat(serverFrames(sink)).extracting(ServerFrame::getClass).containsExactly(
                ServerFrame.Subscribed.class, ServerFrame.Unsubscribed.class, ServerFrame.ChannelRefused.class);
        assertThat(((ServerFrame.ChannelRefused) serverFrames(sink).get(2)).reason()).isEqualTo("not_subscribed");
        assertThat(sink.frames()).doesNotContain("live 3-" + FENCE);
    }

    @Test
    void theBackendSubscribingAnAlreadySubscribedSessionChangesNothing() {
        ChannelSubscriptions subs = subscriptions(FakeReplaySource.complete());
        RecordingSink sink = new RecordingSink();
        ClientSession session = started(sink);
        subs.subscribe(session, LOBBY, null).join();

        subs.subscribeByServer(session, LOBBY).join();

        assertThat(serverFrames(sink)).extracting(ServerFrame::getClass).containsExactly(ServerFrame.Subscribed.class);
    }

    @Test
    void aClosedSessionLeavesItsChannels() {
        ChannelSubscriptions subs = subscriptions(FakeReplaySource.complete());
        ClientSession session = started(new RecordingSink());
        subs.subscribe(session, LOBBY, null).join();

        session.markClosed();
        subs.closed(session);

        assertThat(registry.nodesOf(List.of(LOBBY))).containsEntry(LOBBY, Set.of());
        assertThat(local.channelCount()).isZero();
    }

    @Test
    void membersFollowSubscribeUnsubscribeAndClose() {
        ChannelSubscriptions subs = subscriptions(FakeReplaySource.complete());
        ClientSession first = started(new RecordingSink());
        ClientSession second = started(new RecordingSink());
        subs.subscribe(first, LOBBY, null).join();
        subs.subscribe(second, LOBBY, null).join();
        assertThat(members.membersOf(LOBBY, Set.of(NODE), 10).sessions()).isEqualTo(Map.of(ALICE, 2));

        subs.unsubscribe(first, LOBBY, null);
        assertThat(members.membersOf(LOBBY, Set.of(NODE), 10).sessions()).isEqualTo(Map.of(ALICE, 1));

        second.markClosed();
        subs.closed(second);
        assertThat(members.membersOf(LOBBY, Set.of(NODE), 10).sessions()).isEmpty();
    }

    @Test
    void aRegistryFailureIsRefusedAsUnavailableAndTheSessionCanRetry() {
        ChannelRegistry failing = new ChannelRegistry() {
            @Override
            public void register(ChannelRoute route) {
                throw new TransientRegistryException("redis down", new RuntimeException());
            }

            @Override
            public boolean unregister(ChannelRoute route) {
                return false;
            }

            @Override
            public Map<ChannelName, Set<NodeId>> nodesOf(Collection<ChannelName> channels) {
                return Map.of();
            }

            @Override
            public List<ChannelRoute> routesOn(NodeId node) {
                return List.of();
            }

            @Override
            public int removeAllOn(NodeId node) {
                return 0;
            }
        };
        RecordingSink sink = new RecordingSink();
        ClientSession session = started(sink);
        subscriptions(failing, FakeReplaySource.complete(), 10, 10).subscribe(session, LOBBY, null).join();

        assertThat(((ServerFrame.ChannelRefused) serverFrames(sink).get(0)).reason()).isEqualTo("unavailable");
        assertThat(session.subscribedTo(LOBBY)).isFalse();
        assertThat(local.channelCount()).isZero();
    }
}
