package io.pushfabric.dispatcher.loop;

import io.pushfabric.client.KeyPartitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushfabric.contracts.RoutingKeys;
import java.util.zip.CRC32;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PartitionCheckTest {
    private final PartitionCheck check = new PartitionCheck(12);

    @Test
    void recordInItsKeysPartitionPasses() {
        assertThat(check.check("alice", KeyPartitions.of("alice", 12))).isEmpty();
        assertThat(check.check(RoutingKeys.BROADCAST, KeyPartitions.of("*", 12))).isEmpty();
    }

    @Test
    void recordWithoutKeyIsNotChecked() {
        assertThat(check.check(null, 5)).isEmpty();
    }

    @Test
    void recordElsewhereIsMisplacedWithTheExpectedPartitionAndTheFix() {
        int expected = KeyPartitions.of("alice", 12);
        int wrong = (expected + 1) % 12;

        PartitionCheck.Misplaced m = check.check("alice", wrong).orElseThrow();

        assertThat(m.expected()).isEqualTo(expected);
        assertThat(m.partition()).isEqualTo(wrong);
        assertThat(m.detail())
                .contains("partition " + expected + " of 12")
                .contains("is in partition " + wrong)
                .contains("partitioner=murmur2_random")
                .contains("Partitioners.DefaultPartitioner");
    }

    @Test
    void librdkafkaDefaultPartitionerMisplacesMostKeys() {
        // consistent_random = crc32(key) % n: what kcat, confluent-kafka and node-rdkafka do by default.
        int misplaced = 0;
        for (int i = 0; i < 100; i++) {
            String key = "user-" + i;
            CRC32 crc = new CRC32();
            crc.update(key.getBytes(StandardCharsets.UTF_8));
            if (check.check(key, (int) (crc.getValue() % 12)).isPresent()) {
                misplaced++;
            }
        }
        assertThat(misplaced).isGreaterThan(50);
    }

    @Test
    void singlePartitionNeverMisplaces() {
        assertThat(new PartitionCheck(1).check("anyone", 0)).isEmpty();
    }

    @Test
    void rejectsNoPartitions() {
        assertThatThrownBy(() -> new PartitionCheck(0)).hasMessageContaining("partitions must be >= 1");
    }
}
