package io.pushfabric.dispatcher.dlq;

import io.pushfabric.contracts.MessagePosition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the dead-letter topic from given offsets up to its end as of the start of the read, partition by
 * partition, within a time limit. Keeps no position of its own: the caller says where to start.
 */
final class KafkaDeadLetterReader {
    private static final Duration POLL = Duration.ofMillis(200);

    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final String topic;
    private final Clock clock;
    private final Duration timeout;

    KafkaDeadLetterReader(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic,
                          Clock clock, Duration timeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Every partition of the topic. @throws IllegalStateException when the topic does not exist */
    List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /**
     * Hands every record from {@code from} (per partition; the log start when absent) up to the end offsets
     * of now to {@code sink}, in offset order per partition.
     *
     * @return the end offsets read up to, for a caller that commits them
     */
    Map<TopicPartition, Long> read(Map<TopicPartition, Long> from, Consumer<DeadLetter> sink) {
        List<TopicPartition> partitions = partitions();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, timeout);
        long deadline = clock.millis() + timeout.toMillis();
        for (TopicPartition tp : partitions) {
            long first = Math.max(start.get(tp), from.getOrDefault(tp, 0L));
            long last = end.get(tp);
            if (first >= last) {
                continue;
            }
            consumer.assign(List.of(tp));
            consumer.seek(tp, first);
            while (consumer.position(tp) < last) {
                if (clock.millis() > deadline) {
                    throw new IllegalStateException("reading " + tp + " did not finish within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(tp)) {
                    if (record.offset() >= last) {
                        break;
                    }
                    sink.accept(letter(record));
                }
            }
        }
        return new HashMap<>(end);
    }

    static DeadLetter letter(ConsumerRecord<String, byte[]> record) {
        List<DeadLetter.Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : record.headers()) {
            if (!DeadLetter.isDeadLetterHeader(h.key())) {
                headers.add(new DeadLetter.Header(h.key(), h.value()));
            }
        }
        return new DeadLetter(new MessagePosition(record.partition(), record.offset()), record.timestamp(),
                record.key(), record.value(), text(record, DeadLetter.REASON), text(record, DeadLetter.DETAIL),
                text(record, DeadLetter.SOURCE), headers);
    }

    private static String text(ConsumerRecord<String, byte[]> record, String header) {
        org.apache.kafka.common.header.Header h = record.headers().lastHeader(header);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
