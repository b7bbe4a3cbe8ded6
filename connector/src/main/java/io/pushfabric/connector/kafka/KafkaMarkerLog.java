package io.pushfabric.connector.kafka;

import io.pushfabric.connector.session.MarkerLog;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.ControlMarker;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes this node's control markers into {@code push-requests}. */
public final class KafkaMarkerLog implements MarkerLog {
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final NodeId node;

    public KafkaMarkerLog(Producer<String, byte[]> producer, String topic, NodeId node) {
        this.producer = producer;
        this.topic = topic;
        this.node = node;
    }

    @Override
    public CompletableFuture<MessagePosition> sessionOpened(UserId user) {
        // Keyed by the user id, so it lands in the user's partition, behind everything published before it.
        return send(new ProducerRecord<>(topic, null, user.value(), ControlMarker.sessionOpened(user, node).encode(),
                headers(ControlMarker.Kind.SESSION_OPENED)));
    }

    @Override
    public CompletableFuture<MessagePosition> subscriptionOpened(ChannelName channel) {
        // Keyed by the channel's routing key: it lands in the channel's partition, behind everything published before.
        return send(new ProducerRecord<>(topic, null, channel.routingKey(),
                ControlMarker.subscriptionOpened(channel, node).encode(), headers(ControlMarker.Kind.SUBSCRIPTION_OPENED)));
    }

    /**
     * Announces this node on every partition, so every dispatcher re-reads the live nodes before it routes
     * anything appended later. @return the marker's position on the broadcast partition
     */
    public MessagePosition nodeJoined(int partitions) {
        byte[] value = ControlMarker.nodeJoined(node).encode();
        CompletableFuture<MessagePosition> broadcast = send(new ProducerRecord<>(topic, null, RoutingKeys.BROADCAST, value,
                headers(ControlMarker.Kind.NODE_JOINED)));
        List<CompletableFuture<MessagePosition>> others = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            others.add(send(new ProducerRecord<>(topic, p, (String) null, value, headers(ControlMarker.Kind.NODE_JOINED))));
        }
        CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
        return broadcast.join();
    }

    private static RecordHeaders headers(ControlMarker.Kind kind) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ControlMarker.HEADER, kind.wire().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private CompletableFuture<MessagePosition> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<MessagePosition> result = new CompletableFuture<>();
        producer.send(record, (meta, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(new MessagePosition(meta.partition(), meta.offset()));
            }
        });
        return result;
    }
}
