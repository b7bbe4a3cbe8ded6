package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import org.junit.jupiter.api.Test;

class RoutingKeysTest {

    @Test
    void userRequestIsKeyedByTheUserId() {
        assertThat(RoutingKeys.of(PushRequest.toUser(UserId.of("alice"), IntNode.valueOf(1)))).isEqualTo("alice");
    }

    @Test
    void broadcastIsKeyedByStar() {
        assertThat(RoutingKeys.of(PushRequest.broadcast(IntNode.valueOf(1)))).isEqualTo("*");
        assertThat(RoutingKeys.BROADCAST).isEqualTo("*");
    }
}
