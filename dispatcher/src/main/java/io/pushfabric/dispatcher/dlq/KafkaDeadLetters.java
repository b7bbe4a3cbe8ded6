package io.pushfabric.dispatcher.dlq;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The operator's view of the dead-letter topic: read it, count it by reason, and redrive what would now
 * be accepted back into {@code push-requests}.
 *
 * <p>Redrive remembers how far it got as the committed offsets of its own consumer group on the
 * dead-letter topic, committed only after Kafka acknowledged every re-published record: running it again
 * starts after what it already handled, so a dead letter is redriven once. A redrive that dies between
 * publishing and committing re-publishes on the next run; those copies keep their {@code messageId}, so
 * the dedupe window drops them (a request without a {@code messageId} would be delivered twice). Refused
 * dead letters are passed over too and stay in the topic for {@code list} and {@code show}.
 */
public final class KafkaDeadLetters implements AutoCloseable {
    public static final String DEFAULT_GROUP = "pushfabric-dlq-redrive";

    private final Topics topics;
    private final String group;
    private final Map<String, Object> kafka;
    private final RedriveDecision decision;
    private final Clock clock;
    private final Duration timeout;
    private final KafkaConsumer<String, byte[]> consumer;

    /**
     * @param kafka  Kafka client properties, at least {@code bootstrap.servers}
     * @param group  the consumer group that holds redrive's progress
     */
    public KafkaDeadLetters(Map<String, Object> kafka, Topics topics, String group, PushRequestCodec codec,
                            Clock clock, Duration timeout) {
        this.topics = topics;
        this.group = group;
        this.kafka = Map.copyOf(kafka);
        this.decision = new RedriveDecision(codec);
        this.clock = clock;
        this.timeout = timeout;
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "pushfabric-dlq");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaDeadLetterReader reader() {
        return new KafkaDeadLetterReader(consumer, topics.deadLetter(), clock, timeout);
    }

    /** The first {@code limit} dead letters from the log start. */
    public List<DeadLetter> list(int limit) {
        List<DeadLetter> letters = new ArrayList<>();
        reader().read(Map.of(), letter -> {
            if (letters.size() < limit) {
                letters.add(letter);
            }
        });
        return letters;
    }

    /** The dead letter at {@code position} of the dead-letter topic, if it is still there. */
    public Optional<DeadLetter> show(MessagePosition position) {
        TopicPartition tp = new TopicPartition(topics.deadLetter(), position.partition());
        List<DeadLetter> found = new ArrayList<>();
        reader().read(Map.of(tp, position.offset()), letter -> {
            if (letter.position().equals(position)) {
                found.add(letter);
            }
        });
        return found.stream().findFirst();
    }

    /** Every dead letter in the topic, counted by reason. */
    public Map<String, Long> countByReason() {
        Map<String, Long> counts = new TreeMap<>();
        reader().read(Map.of(), letter -> counts.merge(letter.reason(), 1L, Long::sum));
        return counts;
    }

    /**
     * Re-publishes every dead letter after the group's committed position that would now be accepted,
     * unchanged apart from its key (the routing key) and partition (Kafka's default partitioner), then
     * commits. With {@code dryRun} nothing is published or committed.
     */
    public RedriveReport redrive(boolean dryRun) throws InterruptedException {
        KafkaDeadLetterReader reader = reader();
        Map<TopicPartition, Long> from = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e
                : consumer.committed(java.util.Set.copyOf(reader.partitions()), timeout).entrySet()) {
            if (e.getValue() != null) {
                from.put(e.getKey(), e.getValue().offset());
            }
        }
        RedriveReport.Builder report = new RedriveReport.Builder();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        long now = clock.millis();
        try (KafkaProducer<String, byte[]> producer = dryRun ? null : producer()) {
            Map<TopicPartition, Long> end = reader.read(from, letter -> {
                RedriveDecision.Outcome outcome = decision.decide(letter, now);
                report.add(letter, outcome);
                if (outcome instanceof RedriveDecision.Redrive r && producer != null) {
                    sends.add(producer.send(record(letter, r.key())));
                }
            });
            if (dryRun) {
                return report.build();
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            end.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(commit, timeout);
            return report.build();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take a redriven record (nothing committed; run redrive"
                    + " again): " + e.getCause(), e.getCause());
        }
    }

    private ProducerRecord<String, byte[]> record(DeadLetter letter, String key) {
        RecordHeaders headers = new RecordHeaders();
        for (DeadLetter.Header h : letter.headers()) {
            headers.add(h.key(), h.value());
        }
        headers.add(DeadLetter.REDRIVEN_FROM, letter.source().getBytes(StandardCharsets.UTF_8));
        // No partition: Kafka's default partitioner puts the record where its key belongs.
        return new ProducerRecord<>(topics.requests(), null, key, letter.value(), headers);
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "pushfabric-dlq-redrive");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() {
        consumer.close();
    }

    @Override
    public String toString() {
        return "KafkaDeadLetters[" + topics.deadLetter() + " -> " + topics.requests() + ", group " + group + "]";
    }
}
