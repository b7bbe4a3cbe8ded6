package io.pushfabric.dispatcher.loop;

import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.NodeId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Packs one polled batch's deliveries into node-topic records: for each node, its deliveries in the order they
 * were added (record order, so per-user and per-channel order holds), as few records as fit under the node's
 * size limit. A delivery too large for the limit on its own travels alone, so whatever refuses it refuses
 * nothing else. Free of Kafka.
 */
final class NodeRecords {
    /** One delivery of {@code record}, already encoded. */
    record Entry(PolledRecord record, byte[] delivery) {
    }

    /** The deliveries of one node-topic record, in order. */
    record Packed(NodeId node, List<Entry> entries) {
        List<PolledRecord> records() {
            return entries.stream().map(Entry::record).toList();
        }

        byte[] value() {
            return DeliveryCodec.batch(entries.stream().map(Entry::delivery).toList());
        }
    }

    private final Map<NodeId, List<Entry>> byNode = new LinkedHashMap<>();

    void add(NodeId node, PolledRecord record, byte[] delivery) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(new Entry(record, delivery));
    }

    /**
     * The records to send, node by node in the order nodes first appeared, each node's in delivery order.
     *
     * @param limit the largest record value, in bytes, a node's topic takes
     */
    List<Packed> pack(ToLongFunction<NodeId> limit) {
        List<Packed> packed = new ArrayList<>();
        byNode.forEach((node, entries) -> {
            long max = limit.applyAsLong(node);
            List<Entry> current = new ArrayList<>();
            long bytes = 0;
            for (Entry entry : entries) {
                long grown = DeliveryCodec.batchBytes(current.size() + 1, bytes + entry.delivery().length);
                if (!current.isEmpty() && grown > max) {
                    packed.add(new Packed(node, current));
                    current = new ArrayList<>();
                    bytes = 0;
                }
                current.add(entry);
                bytes += entry.delivery().length;
                if (DeliveryCodec.batchBytes(1, entry.delivery().length) > max) {
                    packed.add(new Packed(node, current)); // too large on its own: alone, and refused alone
                    current = new ArrayList<>();
                    bytes = 0;
                }
            }
            if (!current.isEmpty()) {
                packed.add(new Packed(node, current));
            }
        });
        return packed;
    }
}
