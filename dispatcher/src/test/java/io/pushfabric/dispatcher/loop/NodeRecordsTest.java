package io.pushfabric.dispatcher.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one polled batch's deliveries are packed into node-topic records: no Kafka. */
class NodeRecordsTest {
    private static final NodeId A = NodeId.of("node-a");
    private static final NodeId B = NodeId.of("node-b");

    private final NodeRecords records = new NodeRecords();

    private static PolledRecord at(long offset) {
        return new PolledRecord(new MessagePosition(0, offset), "k", new byte[0], false);
    }

    private static List<Long> offsets(NodeRecords.Packed packed) {
        return packed.records().stream().map(r -> r.position().offset()).toList();
    }

    @Test
    void eachNodesDeliveriesTravelAsOneRecordInTheOrderTheyCame() {
        for (long offset = 0; offset < 6; offset++) {
            records.add(offset % 2 == 0 ? A : B, at(offset), new byte[10]);
            records.add(A, at(offset), new byte[10]);
        }

        List<NodeRecords.Packed> packed = records.pack(node -> Long.MAX_VALUE);

        assertThat(packed).extracting(NodeRecords.Packed::node).containsExactly(A, B);
        assertThat(offsets(packed.get(0))).containsExactly(0L, 0L, 1L, 2L, 2L, 3L, 4L, 4L, 5L);
        assertThat(offsets(packed.get(1))).containsExactly(1L, 3L, 5L);
    }

    @Test
    void recordsAreSplitBelowTheNodesLimitKeepingTheOrder() {
        long limit = DeliveryCodec.batchBytes(3, 300);
        for (long offset = 0; offset < 10; offset++) {
            records.add(A, at(offset), new byte[100]);
        }

        List<NodeRecords.Packed> packed = records.pack(node -> limit);

        assertThat(packed).extracting(NodeRecordsTest::offsets).containsExactly(
                List.of(0L, 1L, 2L), List.of(3L, 4L, 5L), List.of(6L, 7L, 8L), List.of(9L));
        assertThat(packed).allSatisfy(p -> assertThat((long) p.value().length).isLessThanOrEqualTo(limit));
    }

    @Test
    void deliveryTooLargeForTheLimitTravelsAloneBetweenItsNeighbours() {
        records.add(A, at(0), new byte[100]);
        records.add(A, at(1), new byte[100]);
        records.add(A, at(2), new byte[5_000]);
        records.add(A, at(3), new byte[100]);

        List<NodeRecords.Packed> packed = records.pack(node -> 1_000);

        assertThat(packed).extracting(NodeRecordsTest::offsets)
                .containsExactly(List.of(0L, 1L), List.of(2L), List.of(3L));
    }

    @Test
    void eachNodeHasItsOwnLimit() {
        for (long offset = 0; offset < 4; offset++) {
            records.add(A, at(offset), new byte[100]);
            records.add(B, at(offset), new byte[100]);
        }

        List<NodeRecords.Packed> packed = records.pack(node -> node.equals(A) ? Long.MAX_VALUE
                : DeliveryCodec.batchBytes(2, 200));

        assertThat(packed).extracting(p -> p.node().value() + offsets(p))
                .containsExactly("node-a[0, 1, 2, 3]", "node-b[0, 1]", "node-b[2, 3]");
    }
}
