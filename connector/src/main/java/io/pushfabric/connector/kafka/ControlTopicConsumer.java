package io.pushfabric.connector.kafka;

import io.pushfabric.contracts.AdminCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads operators' commands from the control topic, from its end at start, and hands them on. */
public final class ControlTopicConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlTopicConsumer.class);

    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final Consumer<AdminCommand> handler;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public ControlTopicConsumer(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic,
                                Consumer<AdminCommand> handler) {
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, 0);
        this.handler = handler;
    }

    public void seekToEnd() {
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                        handle(record);
                    }
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    LOG.warn("Polling the control topic failed, retrying: {}", e.toString());
                }
            }
        } finally {
            // Nothing to commit, no group to leave: only the fetch session to end, which is left to the broker.
            // Waiting for it would mean waiting for the fetch in flight (up to 5 s without a record).
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            AdminCommand command = AdminCommand.decode(record.value());
            LOG.info("Admin command: {}", command);
            handler.accept(command);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring bad admin command at offset {}: {}", record.offset(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Admin command at offset {} failed", record.offset(), e);
        }
    }
}
