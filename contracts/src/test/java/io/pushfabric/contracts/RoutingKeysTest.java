package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
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

    @Test
    void partitionIsWhatTheJavaProducerPicksForTheKey() {
        for (String key : List.of("alice", "bob", "*", "ünïcødé", "user-12345")) {
            byte[] bytes = new StringSerializer().serialize("t", key);
            for (int partitions : new int[] {1, 3, 12, 50}) {
                assertThat(RoutingKeys.partition(key, partitions)).as("%s over %d", key, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(bytes, partitions));
            }
        }
    }

    @Test
    void partitionRejectsNoPartitions() {
        assertThatThrownBy(() -> RoutingKeys.partition("alice", 0)).hasMessageContaining("partitions");
    }
}
