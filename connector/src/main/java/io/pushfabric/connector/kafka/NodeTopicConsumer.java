package io.pushfabric.connector.kafka;

import io.pushfabric.connector.session.EncodedFrame;
import io.pushfabric.connector.session.LocalChannels;
import io.pushfabric.connector.session.LocalSessions;
import io.pushfabric.connector.session.SessionMetrics;
import io.pushfabric.connector.session.SessionReceipts;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.frames.FrameCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's topic, splits each record into its deliveries ({@link NodeTopicRecords}), and hands each
 * delivery to the local sessions of its user (all of them for a
 * broadcast, the channel's local subscribers for a channel), and says to how many in a {@code delivered} receipt
 * when the delivery has receipts on. It starts at the end of the topic: whatever is older was meant for sessions
 * of a previous
 * run, which have all reconnected with their cursors.
 */
public final class NodeTopicConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeTopicConsumer.class);

    private final Consumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final LocalSessions sessions;
    private final LocalChannels channels;
    private final SessionMetrics metrics;
    private final NodeId node;
    private final Clock clock;
    private final SessionReceipts receipts;
    private final NodeTopicRecords split = new NodeTopicRecords();
    private final FrameCodec frames = new FrameCodec();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile long lastPollAt;

    public NodeTopicConsumer(Consumer<String, byte[]> consumer, String topic, LocalSessions sessions,
                             LocalChannels channels, SessionMetrics metrics, NodeId node, Clock clock,
                             SessionReceipts receipts) {
        this.receipts = receipts;
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, 0);
        this.sessions = sessions;
        this.channels = channels;
        this.metrics = metrics;
        this.node = node;
        this.clock = clock;
    }

    /** Positions the consumer at the end of the node topic; call before any session can open. */
    public long seekToEnd() {
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        long position = consumer.position(partition);
        lastPollAt = clock.millis();
        LOG.info("Consuming {} from offset {}", partition, position);
        return position;
    }

    /** Millis since the loop last came back from a poll; the readiness check uses it. */
    public long millisSinceLastPoll() {
        return clock.millis() - lastPollAt;
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofSeconds(1)); // stop() wakes it; readiness allows 30 s
                } catch (WakeupException e) {
                    break;
                } catch (OffsetOutOfRangeException e) {
                    // The topic was deleted (a janitor, while this node's lease had lapsed) and created anew: every
                    // record of the new topic is newer than what we read, and the node fenced itself meanwhile.
                    LOG.warn("{} restarted below our position; reading it from its beginning", partition);
                    consumer.seekToBeginning(List.of(partition));
                    continue;
                } catch (KafkaException e) {
                    LOG.warn("Polling {} failed, retrying: {}", partition, e.toString());
                    continue;
                }
                lastPollAt = clock.millis();
                for (ConsumerRecord<String, byte[]> record : records) {
                    for (Delivery delivery : split.split(record)) {
                        handle(delivery);
                    }
                }
            }
        } finally {
            // Nothing to commit, no group to leave: only the fetch session to end, which is left to the broker.
            // Waiting for it would mean waiting for the fetch in flight (up to 5 s without a record).
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            LOG.info("Node topic consumer stopped");
        }
    }

    private void handle(Delivery delivery) {
        try {
            if (delivery.request().isExpiredAt(clock.millis())) {
                metrics.expired();
                receipts.expired(delivery);
                return;
            }
            Supplier<EncodedFrame> frame = new OncePushFrame(delivery, node, frames);
            int reached;
            if (delivery.request().isChannel()) {
                reached = channels.deliver(delivery, frame);
            } else if (delivery.request().isBroadcast()) {
                reached = sessions.broadcast(delivery, frame);
            } else {
                reached = sessions.deliver(delivery, frame);
            }
            receipts.delivered(delivery, reached);
        } catch (RuntimeException e) {
            LOG.error("Unexpected error delivering {}; continuing", delivery.position(), e);
        }
    }
}
