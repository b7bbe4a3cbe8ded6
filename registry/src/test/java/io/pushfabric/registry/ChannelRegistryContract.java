package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.NodeId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ChannelRegistry} does. A subclass supplies a fresh, empty registry per test. */
public abstract class ChannelRegistryContract {
    protected static final NodeId NODE_A = NodeId.of("node-a");
    protected static final NodeId NODE_B = NodeId.of("node-b");
    protected static final ChannelName LOBBY = ChannelName.of("chat:lobby");
    protected static final ChannelName NEWS = ChannelName.of("news");
    protected static final ChannelName EMPTY = ChannelName.of("chat:empty");

    protected ChannelRegistry registry;

    protected abstract ChannelRegistry newRegistry();

    @BeforeEach
    void createRegistry() {
        registry = newRegistry();
    }

    @Test
    void channelResolvesToEveryNodeWithSubscribers() {
        registry.register(new ChannelRoute(LOBBY, NODE_A, "t1"));
        registry.register(new ChannelRoute(LOBBY, NODE_B, "t2"));
        registry.register(new ChannelRoute(NEWS, NODE_B, "t3"));

        assertThat(registry.nodesOf(List.of(LOBBY, NEWS, EMPTY))).containsOnly(
                Map.entry(LOBBY, Set.of(NODE_A, NODE_B)), Map.entry(NEWS, Set.of(NODE_B)), Map.entry(EMPTY, Set.of()));
        assertThat(registry.nodesOf(List.of())).isEmpty();
    }

    @Test
    void unregisterKeepsANewerRegistrationOfTheSameNode() {
        registry.register(new ChannelRoute(LOBBY, NODE_A, "old"));
        registry.register(new ChannelRoute(LOBBY, NODE_A, "new"));

        assertThat(registry.unregister(new ChannelRoute(LOBBY, NODE_A, "old"))).isFalse();
        assertThat(registry.nodesOf(List.of(LOBBY))).containsEntry(LOBBY, Set.of(NODE_A));

        assertThat(registry.unregister(new ChannelRoute(LOBBY, NODE_A, "new"))).isTrue();
        assertThat(registry.nodesOf(List.of(LOBBY))).containsEntry(LOBBY, Set.of());
    }

    @Test
    void removeAllOnRemovesOnlyThatNodesRoutes() {
        registry.register(new ChannelRoute(LOBBY, NODE_A, "t1"));
        registry.register(new ChannelRoute(NEWS, NODE_A, "t2"));
        registry.register(new ChannelRoute(LOBBY, NODE_B, "t3"));

        assertThat(registry.routesOn(NODE_A)).containsExactlyInAnyOrder(
                new ChannelRoute(LOBBY, NODE_A, "t1"), new ChannelRoute(NEWS, NODE_A, "t2"));
        assertThat(registry.removeAllOn(NODE_A)).isEqualTo(2);

        assertThat(registry.routesOn(NODE_A)).isEmpty();
        assertThat(registry.nodesOf(List.of(LOBBY, NEWS))).containsOnly(
                Map.entry(LOBBY, Set.of(NODE_B)), Map.entry(NEWS, Set.of()));
    }

    @Test
    void aRouteRegisteredAgainAfterTheNodesCleanupStays() {
        registry.register(new ChannelRoute(LOBBY, NODE_A, "before-restart"));
        registry.register(new ChannelRoute(LOBBY, NODE_A, "after-restart"));

        registry.removeAllOn(NODE_A);
        registry.register(new ChannelRoute(LOBBY, NODE_A, "after-cleanup"));

        assertThat(registry.nodesOf(List.of(LOBBY))).containsEntry(LOBBY, Set.of(NODE_A));
        assertThat(registry.routesOn(NODE_A)).containsExactly(new ChannelRoute(LOBBY, NODE_A, "after-cleanup"));
    }
}
