package io.pushfabric.dispatcher.loop;

import io.pushfabric.client.KeyPartitions;
import java.util.Optional;

/**
 * Checks that a keyed record of {@code push-requests} sits in the partition its routing key maps to
 * ({@link KeyPartitions#of}). Per-user order, the session fences and replay all read only the user's
 * partition (and the broadcast partition), so a record elsewhere would be delivered live but missed by
 * replay, or overtake the fence: it is never dispatched. Pure; one instance per batch, with the partition
 * count of that moment.
 */
public final class PartitionCheck {
    /** The producer settings that fix a misplaced record, named in every dead letter's detail. */
    static final String FIX = "the producer must hash keys with murmur2 like Kafka's Java client"
            + " (librdkafka/kcat/confluent-kafka: partitioner=murmur2_random; kafkajs: Partitioners.DefaultPartitioner;"
            + " see docs/protocol.md, Producer settings)";

    private final int partitions;

    public PartitionCheck(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        this.partitions = partitions;
    }

    /** Where a record sits and where its key says it belongs. */
    public record Misplaced(String key, int partition, int expected, int partitions) {
        public Misplaced {
            if (partition == expected) {
                throw new IllegalArgumentException("partition " + partition + " is the expected one");
            }
        }

        /** The dead letter's detail: the expected partition and the setting that fixes the producer. */
        public String detail() {
            return "key '" + key + "' maps to partition " + expected + " of " + partitions
                    + " (murmur2, Kafka's default partitioner) but the record is in partition " + partition + "; " + FIX;
        }
    }

    /** @return empty when the record is where its key maps or has no key (written to a chosen partition) */
    public Optional<Misplaced> check(String key, int partition) {
        if (key == null) {
            return Optional.empty();
        }
        int expected = KeyPartitions.of(key, partitions);
        return expected == partition ? Optional.empty() : Optional.of(new Misplaced(key, partition, expected, partitions));
    }
}
