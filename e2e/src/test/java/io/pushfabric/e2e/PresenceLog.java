package io.pushfabric.e2e;

import io.pushfabric.contracts.PresenceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything published to a presence topic, read from the beginning on a thread of its own, in topic order. */
final class PresenceLog implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    PresenceLog(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::poll, "presence-log-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    synchronized (records) {
                        records.add(r);
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    /** Every event so far, each checked to be keyed by its user. */
    List<PresenceEvent> events() {
        synchronized (records) {
            List<PresenceEvent> events = new ArrayList<>(records.size());
            for (ConsumerRecord<String, byte[]> r : records) {
                PresenceEvent e = PresenceEvent.decode(r.value());
                if (!e.key().equals(r.key())) {
                    throw new AssertionError("presence event of " + e.user() + " keyed " + r.key());
                }
                events.add(e);
            }
            return events;
        }
    }

    /** One user's events, in topic order (one user's events share a partition). */
    List<PresenceEvent> of(String user) {
        return events().stream().filter(e -> e.user().value().equals(user)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
