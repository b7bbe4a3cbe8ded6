package io.pushfabric.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.receipts.Receipt;
import io.pushfabric.contracts.receipts.ReceiptCodec;
import io.pushfabric.testkit.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The receipt writer on a real broker: bounded, never blocking, keyed by the routing key. */
class KafkaReceiptSinkTest {

    @Test
    void fullQueueDropsAndCountsWhatItCannotHoldAndWritesTheRest() throws Exception {
        String bootstrap = TestInfra.kafkaBootstrap();
        String topic = TestInfra.uniqueName("receipts");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            new TopicAdmin(admin).ensure(topic, 1, 1, Map.of());
        }
        List<Receipt> offered = new ArrayList<>();
        try (KafkaReceiptSink sink = KafkaReceiptSink.create(Map.of("bootstrap.servers", bootstrap), topic, 2, "test")) {
            for (int i = 0; i < 5; i++) {
                Receipt r = Receipt.of(Receipt.Status.OFFLINE, new MessagePosition(0, i), "alice", "m-" + i, i);
                offered.add(r);
                sink.offer(r); // the writer has not started: the queue holds two, the rest are dropped at once
            }
            assertThat(sink.dropped()).isEqualTo(3);
            assertThat(sink.queued()).isEqualTo(2);
            sink.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sink.written() == 2);
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= 2;
            });
            assertThat(read).extracting(ConsumerRecord::key).containsExactly("alice", "alice");
            assertThat(read).extracting(r -> new ReceiptCodec().decode(r.value())).containsExactly(offered.get(0),
                    offered.get(1));
        }
    }

    /** At rest the writer waits for the next receipt without a timeout (it used to wake up ten times a second). */
    @Test
    void idleWriterWaitsWithoutWakingUpAndCloseEndsIt() throws Exception {
        String bootstrap = TestInfra.kafkaBootstrap();
        String topic = TestInfra.uniqueName("receipts");
        KafkaReceiptSink sink = KafkaReceiptSink.create(Map.of("bootstrap.servers", bootstrap), topic, 10, "idle-test")
                .start();
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("pf-receipts-idle-test")).findFirst().orElseThrow();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() != Thread.State.RUNNABLE);
        assertThat(writer.getState()).as("waiting with no timeout").isEqualTo(Thread.State.WAITING);

        sink.close();

        assertThat(writer.isAlive()).isFalse();
        assertThat(sink.queued()).isZero();
    }
}
