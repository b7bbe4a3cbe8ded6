package io.pushfabric.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What a connector makes of the records on its node topic, from old and new dispatchers alike. */
class NodeTopicRecordsTest {
    private final DeliveryCodec codec = new DeliveryCodec();
    private final NodeTopicRecords records = new NodeTopicRecords();

    private static Delivery delivery(long offset) {
        return new Delivery(new MessagePosition(0, offset), PushRequest.toUser(UserId.of("alice"), TextNode.valueOf("m" + offset)));
    }

    private static ConsumerRecord<String, byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("push.node.a", 0, offset, null, value);
    }

    @Test
    void singleDeliveriesOfOlderDispatchersAndBatchesOfNewerOnesAreReadInTheirOrder() {
        List<ConsumerRecord<String, byte[]>> topic = List.of(
                record(0, codec.encode(delivery(1))),
                record(1, DeliveryCodec.batch(List.of(codec.encode(delivery(2)), codec.encode(delivery(3))))),
                record(2, codec.encode(delivery(4))));

        assertThat(topic.stream().flatMap(r -> records.split(r).stream()))
                .containsExactly(delivery(1), delivery(2), delivery(3), delivery(4));
    }

    @Test
    void unreadableRecordIsSkippedAndUnreadableDeliveryAlone() {
        byte[] broken = "{\"v\":1,\"user\":\"a\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(records.split(record(0, "not json".getBytes(StandardCharsets.UTF_8)))).isEmpty();
        assertThat(records.split(record(1, DeliveryCodec.batch(List.of(codec.encode(delivery(1)), broken,
                codec.encode(delivery(3))))))).containsExactly(delivery(1), delivery(3));
    }
}
