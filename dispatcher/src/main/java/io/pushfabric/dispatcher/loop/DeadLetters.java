package io.pushfabric.dispatcher.loop;

import io.pushfabric.dispatcher.dlq.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead-letter copy of a rejected record: same key, same value, the original headers, plus
 * {@code pf-dlq-reason} (a reason code such as {@code NOT_JSON}), {@code pf-dlq-detail} (a human sentence)
 * and {@code pf-dlq-source} ({@code topic/partition/offset}).
 */
final class DeadLetters {
    static final String REASON = DeadLetter.REASON;
    static final String DETAIL = DeadLetter.DETAIL;
    static final String SOURCE = DeadLetter.SOURCE;

    private final String topic;

    DeadLetters(String topic) {
        this.topic = topic;
    }

    ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> rejected, String reason, String detail) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : rejected.headers()) {
            headers.add(h);
        }
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DETAIL, detail.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE, (rejected.topic() + "/" + rejected.partition() + "/" + rejected.offset())
                .getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, rejected.key(), rejected.value(), headers);
    }
}
