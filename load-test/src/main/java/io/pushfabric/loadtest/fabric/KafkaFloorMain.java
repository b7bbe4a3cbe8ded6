package io.pushfabric.loadtest.fabric;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The fabric's Kafka traffic with nothing of the fabric, one role per JVM, for {@link KafkaFloor}: what the broker
 * and the Kafka clients alone cost at a rate. Each role uses the client settings of the service it stands for and
 * does nothing else: no routing, no JSON, no sessions, no sockets.
 * <ul>
 *   <li>{@code dispatcher <bootstrap> <requests topic> <node topics,...|-> <min cycle ms> <ready file>}: the
 *   dispatcher's consumer group over the requests topic; after each poll that brought records, one record per node
 *   topic with that node's share of them (by key), sent and acknowledged before the next poll, as the dispatcher
 *   packs a node's deliveries of a poll; offsets committed at most every 100 ms; the loop paced like the
 *   dispatcher's. With {@code -} for the node topics it only consumes and commits (the first hop alone).</li>
 *   <li>{@code node <bootstrap> <node topic> <ready file>}: a connector's node-topic consumer, reading from the end.</li>
 * </ul>
 */
public final class KafkaFloorMain {
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private KafkaFloorMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 6 && args[0].equals("dispatcher")) {
            List<String> nodes = args[3].equals("-") ? List.of() : List.of(args[3].split(","));
            dispatcher(args[1], args[2], nodes, Long.parseLong(args[4]), Path.of(args[5]));
        } else if (args.length == 4 && args[0].equals("node")) {
            node(args[1], args[2], Path.of(args[3]));
        } else {
            System.err.println("usage: KafkaFloorMain dispatcher <bootstrap> <requests> <node topics|-> <min cycle ms> <ready>"
                    + " | node <bootstrap> <node topic> <ready>");
            System.exit(2);
        }
    }

    /** Concatenates values, each with its length before it: the node's share of one poll, as one record. */
    static byte[] pack(List<byte[]> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] v : values) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
            out.writeBytes(v);
        }
        return out.toByteArray();
    }

    /** How many values a {@link #pack}ed record holds. */
    static int count(byte[] packed) {
        ByteBuffer in = ByteBuffer.wrap(packed);
        int n = 0;
        while (in.remaining() >= 4) {
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException("not a packed record: length " + length + " at entry " + n);
            }
            in.position(in.position() + length);
            n++;
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("not a packed record: " + in.remaining() + " bytes left over");
        }
        return n;
    }

    /** The node of a key among {@code nodes}, as a user's sessions are on some node. */
    static int nodeOf(String key, int nodes) {
        return Math.floorMod(key == null ? 0 : key.hashCode(), nodes);
    }

    private static void dispatcher(String bootstrap, String requests, List<String> nodes, long minCycleMs, Path ready)
            throws IOException, InterruptedException, ExecutionException {
        // DispatcherApp's consumer and producer settings.
        Map<String, Object> consumerConfig = Map.of("bootstrap.servers", bootstrap, "group.id", "pushfabric-floor-dispatcher",
                "enable.auto.commit", false, "auto.offset.reset", "earliest", "max.poll.records", 5_000,
                "fetch.min.bytes", 1, "fetch.max.wait.ms", 500, "client.id", "floor-dispatcher-consumer");
        Map<String, Object> producerConfig = Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", true, "linger.ms", 1, "batch.size", 16 * 1024, "compression.type", "lz4",
                "client.id", "floor-dispatcher-producer");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                     new ByteArraySerializer())) {
            consumer.subscribe(List.of(requests), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // One dispatcher in the floor: nothing moves, and a lost commit only re-sends.
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    markReady(ready);
                }
            });
            Map<TopicPartition, OffsetAndMetadata> acked = new HashMap<>();
            long lastCommit = 0;
            long lastRecords = 0;
            while (true) {
                long wait = lastRecords + minCycleMs - System.currentTimeMillis();
                if (lastRecords != 0 && wait > 0) {
                    Thread.sleep(wait); // the dispatcher's pacing (PollPacing): only after a poll that brought records
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                lastRecords = records.isEmpty() ? 0 : System.currentTimeMillis();
                if (records.isEmpty()) {
                    continue;
                }
                if (!nodes.isEmpty()) {
                    sendToNodes(producer, records, nodes);
                }
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<String, byte[]>> list = records.records(tp);
                    acked.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
                }
                if (System.currentTimeMillis() - lastCommit >= COMMIT_INTERVAL.toMillis()) {
                    consumer.commitAsync(Map.copyOf(acked), null);
                    lastCommit = System.currentTimeMillis();
                }
            }
        }
    }

    private static void sendToNodes(KafkaProducer<String, byte[]> producer, ConsumerRecords<String, byte[]> records,
                                    List<String> nodes) throws InterruptedException, ExecutionException {
        List<List<byte[]>> shares = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            shares.add(new ArrayList<>());
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            shares.get(nodeOf(record.key(), nodes.size())).add(record.value());
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!shares.get(i).isEmpty()) {
                sends.add(producer.send(new ProducerRecord<>(nodes.get(i), pack(shares.get(i)))));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }

    private static void node(String bootstrap, String topic, Path ready) {
        // The connector's node-topic consumer settings (ConnectorApp.tailing): no group, from the end, a fetch
        // answered at its first record and a long wait when idle.
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false,
                "max.poll.records", 2_000, "fetch.min.bytes", 1, "fetch.max.wait.ms", 5_000, "client.id", "floor-" + topic);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition); // resolves the end now: ready means nothing published later is skipped
            markReady(ready);
            while (true) {
                consumer.poll(Duration.ofSeconds(1)); // as NodeTopicConsumer's
            }
        }
    }

    private static void markReady(Path ready) {
        try {
            Files.writeString(ready, "ready");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
