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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 * delivery to the local sessions of its user (all of them for a broadcast, the channel's local subscribers for a
 * channel), and says to how many in a {@code delivered} receipt when the delivery has receipts on. It starts at
 * the end of the topic, and starts there again at each join ({@link #restartAt}): whatever is older was meant
 * for sessions of a previous run or closed by the fence, which have all resumed with their cursors.
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
    private final AtomicReference<Restart> restart = new AtomicReference<>();
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

    /**
     * A join: the loop reads the node topic from {@code end}, the topic's end as the join read it, before it polls
     * again. What is older was for sessions the fence closed; and a topic a janitor deleted and the join created
     * anew starts its offsets at 0 again, where Kafka's consumer would go on from its old position and skip the new
     * topic's first records. The join waits for this before the node takes its lease, so every delivery to its new
     * sessions is at or after {@code end}. (The join reads the end itself: asked here, the broker would answer only
     * after the fetch this consumer has in flight, up to its 5 s wait.) Joins come one at a time.
     */
    public CompletableFuture<Void> restartAt(long end) {
        Restart asked = new Restart(end, new CompletableFuture<>());
        restart.set(asked);
        consumer.wakeup();
        return asked.done();
    }

    private record Restart(long at, CompletableFuture<Void> done) {
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
                restartIfAsked();
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofSeconds(1)); // readiness allows 30 s
                } catch (WakeupException e) {
                    continue; // stop() or a join: the loop's condition, then restartIfAsked, say which
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
            Restart asked = restart.getAndSet(null);
            if (asked != null) {
                asked.done().completeExceptionally(new IllegalStateException("the node topic consumer stopped"));
            }
            // Nothing to commit, no group to leave: only the fetch session to end, which is left to the broker.
            // Waiting for it would mean waiting for the fetch in flight (up to 5 s without a record).
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            LOG.info("Node topic consumer stopped");
        }
    }

    private void restartIfAsked() {
        Restart asked = restart.getAndSet(null);
        if (asked != null) {
            consumer.seek(partition, asked.at()); // no call to the broker: what was fetched from before is dropped
            LOG.info("The node joined: reading {} from offset {}", partition, asked.at());
            asked.done().complete(null);
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
