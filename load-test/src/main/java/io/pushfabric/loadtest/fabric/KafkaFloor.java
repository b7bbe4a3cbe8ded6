package io.pushfabric.loadtest.fabric;

import io.pushfabric.contracts.UserId;
import io.pushfabric.loadtest.measure.CpuCost;
import io.pushfabric.loadtest.measure.CpuMeter;
import io.pushfabric.loadtest.measure.DeliveryLedger;
import io.pushfabric.loadtest.measure.MicroClock;
import io.pushfabric.loadtest.measure.Watched;
import io.pushfabric.loadtest.publish.ProducerSpec;
import io.pushfabric.loadtest.publish.RatedPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor under the fabric's CPU per message: the same producer as the load generator's runs, a Kafka broker
 * of its own, and in place of the dispatcher and the connectors the bare Kafka clients of {@link KafkaFloorMain},
 * each in its own JVM. The CPU they take at a rate is what two durable Kafka hops cost on the machine before any
 * of the fabric's own work. After the step it reads the node topics back and counts every message in them, so a
 * floor that did not carry the traffic is reported as such.
 */
public final class KafkaFloor {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFloor.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final String REQUESTS = "floor-requests";
    private static final int USERS = 2_000;

    /**
     * @param nodes        node topics (connectors stood for); 0 measures the first hop alone
     * @param minCycleMs   the dispatcher's pacing, as {@code PUSH_DISPATCH_MIN_CYCLE_MS}
     * @param payloadBytes approximate payload size, as the load generator's
     */
    public record Settings(double rate, Duration warmup, Duration step, int partitions, int nodes, long minCycleMs,
                           List<String> brokerJvm, Map<String, String> kafkaConfig, ProducerSpec producer,
                           int payloadBytes) {
        public Settings {
            if (nodes < 0 || partitions < 1 || rate <= 0) {
                throw new IllegalArgumentException("--nodes >= 0, --partitions >= 1 and --rate > 0, were " + nodes
                        + ", " + partitions + ", " + rate);
            }
        }
    }

    /**
     * @param step          CPU of every process over the measured step, per published message
     * @param published     messages the producer had acknowledged by the end
     * @param inNodeTopics  messages found in the node topics afterwards (-1 with no node topics)
     */
    public record Result(CpuCost step, long published, long inNodeTopics, double recordsPerRequest) {
        /** Every acknowledged message went through the second hop (or there was none to go through). */
        public boolean carried() {
            return inNodeTopics < 0 || inNodeTopics == published;
        }
    }

    private KafkaFloor() {
    }

    public static Result run(Settings s, Path runDir) throws Exception {
        Path logs = runDir.resolve("logs");
        Files.createDirectories(logs);
        Deque<AutoCloseable> running = new ArrayDeque<>();
        try {
            KafkaBrokerMain.Launched kafka = KafkaBrokerMain.launch(s.brokerJvm(), s.kafkaConfig(), runDir, logs,
                    READY_TIMEOUT);
            running.push(kafka.process());
            List<Watched> processes = new ArrayList<>(List.of(new Watched("kafka", kafka.process().pid())));
            List<String> nodeTopics = new ArrayList<>();
            for (int i = 0; i < s.nodes(); i++) {
                nodeTopics.add("floor-node-" + i);
            }
            createTopics(kafka.bootstrap(), s.partitions(), nodeTopics);

            for (String topic : nodeTopics) {
                ServiceProcess node = role(topic, runDir, logs, List.of("node", kafka.bootstrap(), topic));
                running.push(node);
                processes.add(new Watched(topic, node.pid()));
            }
            ServiceProcess dispatcher = role("floor-dispatcher", runDir, logs, List.of("dispatcher", kafka.bootstrap(),
                    REQUESTS, nodeTopics.isEmpty() ? "-" : String.join(",", nodeTopics), Long.toString(s.minCycleMs())));
            running.push(dispatcher);
            processes.add(new Watched("floor-dispatcher", dispatcher.pid()));
            List<Watched> fabric = List.copyOf(processes);
            processes.add(new Watched("loadgen", ProcessHandle.current().pid()));

            int capacity = (int) Math.ceil(s.rate() * (s.warmup().toSeconds() + s.step().toSeconds())) + 1;
            DeliveryLedger ledger = new DeliveryLedger(USERS, capacity, 0);
            int[] audience = IntStream.range(0, USERS).toArray();
            CpuMeter meter = new CpuMeter(processes, fabric);
            try (RatedPublisher publisher = new RatedPublisher(kafka.bootstrap(), REQUESTS, ledger, new MicroClock(),
                    s.payloadBytes(), s.producer())) {
                LOG.info("Warm-up: {} msg/s for {} s", s.rate(), s.warmup().toSeconds());
                publisher.run(0, s.rate(), s.warmup(), RatedPublisher.Mix.targeted(audience), i -> new UserId("lt-user-" + i));
                LOG.info("Step: {} msg/s for {} s, CPU measured", s.rate(), s.step().toSeconds());
                CpuMeter.Window window = meter.open();
                long sent = publisher.run(1, s.rate(), s.step(), RatedPublisher.Mix.targeted(audience),
                        i -> new UserId("lt-user-" + i));
                CpuCost step = window.close(sent);
                publisher.flush();
                double perRequest = publisher.requests().recordsPerRequest();
                long published = ledger.phase(0).acked() + ledger.phase(1).acked();
                long inNodes = nodeTopics.isEmpty() ? -1 : countInNodeTopics(kafka.bootstrap(), nodeTopics, published);
                return new Result(step, published, inNodes, perRequest);
            }
        } finally {
            while (!running.isEmpty()) {
                running.pop().close();
            }
        }
    }

    private static ServiceProcess role(String name, Path runDir, Path logs, List<String> args) {
        Path ready = runDir.resolve(name + ".ready");
        List<String> withReady = new ArrayList<>(args);
        withReady.add(ready.toString());
        ServiceProcess process = ServiceProcess.start(name, ServiceImage.ownClasspath(name,
                KafkaFloorMain.class.getName()).command(List.of("-Xmx512m"), withReady), Map.of(), logs);
        process.awaitReady(() -> Files.exists(ready), READY_TIMEOUT);
        return process;
    }

    private static void createTopics(String bootstrap, int partitions, List<String> nodeTopics)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic(REQUESTS, partitions, (short) 1)));
            nodeTopics.forEach(t -> topics.add(new NewTopic(t, 1, (short) 1)));
            admin.createTopics(topics).all().get();
        }
    }

    /** Reads every node topic from its start and counts the messages packed in its records, waiting for the last. */
    private static long countInNodeTopics(String bootstrap, List<String> nodeTopics, long expected) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false,
                "auto.offset.reset", "earliest", "max.partition.fetch.bytes", 8 << 20);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = nodeTopics.stream().map(t -> new TopicPartition(t, 0)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long counted = 0;
            long quietSince = System.nanoTime();
            while (counted < expected && System.nanoTime() - quietSince < Duration.ofSeconds(10).toNanos()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    counted += KafkaFloorMain.count(record.value());
                    quietSince = System.nanoTime();
                }
            }
            return counted;
        }
    }
}
