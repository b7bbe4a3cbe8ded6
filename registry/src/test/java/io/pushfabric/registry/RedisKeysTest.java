package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.UserId;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
    private final RedisKeys keys = new RedisKeys();

    @Test
    void layoutUsesHashTagsPerUserNodeAndMessage() {
        assertThat(keys.route(UserId.of("alice"))).isEqualTo("pf:route:{alice}");
        assertThat(keys.nodeRoutes(NodeId.of("node-1"))).isEqualTo("pf:node-routes:{node-1}");
        assertThat(keys.lease(NodeId.of("node-1"))).isEqualTo("pf:lease:{node-1}");
        assertThat(keys.nodes()).isEqualTo("pf:nodes");
        assertThat(keys.dedupe("alice", "order-42")).isEqualTo("pf:dedupe:5:{alice:order-42}");
        assertThat(keys.dedupe("*", "order-42")).isEqualTo("pf:dedupe:1:{*:order-42}");
    }

    @Test
    void prefixIsConfigurable() {
        assertThat(new RedisKeys("staging:").route(UserId.of("bob"))).isEqualTo("staging:route:{bob}");
        assertThat(new RedisKeys("").nodes()).isEqualTo("nodes");
    }

    @Test
    void prefixWithBracesIsRejected() {
        assertThatThrownBy(() -> new RedisKeys("pf{x}:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pf{x}:");
    }

    @Test
    void indexMemberRoundTripsUsersContainingTheSeparator() {
        SessionRoute route = new SessionRoute(UserId.of("a|b|c"), "s1", NodeId.of("n"));

        assertThat(RedisKeys.member(route)).isEqualTo("s1|a|b|c");
        assertThat(RedisKeys.fromMember("s1|a|b|c", NodeId.of("n"))).isEqualTo(route);
    }

    @Test
    void malformedIndexMemberIsRejected() {
        assertThatThrownBy(() -> RedisKeys.fromMember("no-separator", NodeId.of("n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-separator");
        assertThatThrownBy(() -> RedisKeys.fromMember("s1|", NodeId.of("n")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
