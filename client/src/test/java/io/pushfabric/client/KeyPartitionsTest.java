package io.pushfabric.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KeyPartitionsTest {

    @Test
    void partitionIsWhatTheJavaProducerPicksForTheKey() {
        for (String key : List.of("alice", "bob", "*", "ünïcødé", "user-12345")) {
            byte[] bytes = new StringSerializer().serialize("t", key);
            for (int partitions : new int[] {1, 3, 12, 50}) {
                assertThat(KeyPartitions.of(key, partitions)).as("%s over %d", key, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(bytes, partitions));
            }
        }
    }

    @Test
    void partitionRejectsNoPartitions() {
        assertThatThrownBy(() -> KeyPartitions.of("alice", 0)).hasMessageContaining("partitions");
    }
}
