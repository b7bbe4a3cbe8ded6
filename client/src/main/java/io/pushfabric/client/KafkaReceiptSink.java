package io.pushfabric.client;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.receipts.Receipt;
import io.pushfabric.contracts.receipts.ReceiptCodec;
import io.pushfabric.contracts.receipts.ReceiptSettings;
import io.pushfabric.contracts.receipts.ReceiptSink;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes receipts to {@code push-receipts} without ever holding up the caller: {@link #offer} puts the receipt
 * in a bounded queue (or drops and counts it when the queue is full), and one named thread hands the queue to a
 * producer of its own, so neither a slow broker nor a full producer buffer can reach the delivery path. Records
 * are keyed by the request's routing key, so one user's receipts share a partition.
 */
public final class KafkaReceiptSink implements ReceiptSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaReceiptSink.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Queued by {@link #close} to wake a writer that waits for receipts; never written. */
    private static final Receipt STOP = Receipt.of(Receipt.Status.OFFLINE, new MessagePosition(0, 0), null, null, 0);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final BlockingQueue<Receipt> queue;
    private final ReceiptCodec codec = new ReceiptCodec();
    private final Thread writer;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean running = true;

    /**
     * @param clientConfig the Kafka client settings of the service (bootstrap, security); the producer's own
     *                     settings are added here
     * @param queueLimit   receipts that may wait for the producer; past it new ones are dropped and counted
     */
    public static KafkaReceiptSink create(Map<String, Object> clientConfig, String topic, int queueLimit,
                                          String clientId) {
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaReceiptSink(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()),
                topic, queueLimit, clientId);
    }

    /**
     * When receipts are on: creates the receipt topic if it is missing (with {@code partitions}, {@code replication}
     * and the settings' retention) and starts a writer with its metrics. Empty when receipts are off.
     */
    public static Optional<KafkaReceiptSink> startIfEnabled(ReceiptSettings settings, TopicAdmin topics,
                                                            Map<String, Object> clientConfig, int partitions,
                                                            int replication, String clientId, MeterRegistry meters) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        topics.ensure(settings.topic(), partitions, replication,
                Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().toMillis())));
        return Optional.of(create(clientConfig, settings.topic(), settings.queueLimit(), clientId).bindTo(meters).start());
    }

    KafkaReceiptSink(Producer<String, byte[]> producer, String topic, int queueLimit, String threadName) {
        this.producer = producer;
        this.topic = topic;
        this.queue = new ArrayBlockingQueue<>(queueLimit);
        this.writer = new Thread(this::writeLoop, "pf-receipts-" + threadName);
        writer.setDaemon(true);
        writer.setUncaughtExceptionHandler((t, e) -> LOG.error("Receipt writer died", e));
    }

    /** Starts writing what is queued; receipts offered before are kept (up to the limit). */
    public KafkaReceiptSink start() {
        writer.start();
        return this;
    }

    @Override
    public void offer(Receipt receipt) {
        if (!queue.offer(receipt)) {
            dropped.increment();
        }
    }

    /** Receipts dropped because the queue was full (Kafka slower than the receipts, or unreachable). */
    public long dropped() {
        return dropped.sum();
    }

    /** Receipts Kafka acknowledged. */
    public long written() {
        return written.sum();
    }

    /** Receipts Kafka refused or did not acknowledge in time (the producer's delivery timeout). */
    public long failed() {
        return failed.sum();
    }

    /**
     * Publishes {@code pushfabric.receipts.dropped}, {@code .written}, {@code .failed} (counters) and
     * {@code pushfabric.receipts.queued} (gauge).
     */
    public KafkaReceiptSink bindTo(MeterRegistry meters) {
        FunctionCounter.builder("pushfabric.receipts.dropped", this, KafkaReceiptSink::dropped)
                .description("Receipts dropped because the receipt queue was full").register(meters);
        FunctionCounter.builder("pushfabric.receipts.written", this, KafkaReceiptSink::written)
                .description("Receipts Kafka acknowledged").register(meters);
        FunctionCounter.builder("pushfabric.receipts.failed", this, KafkaReceiptSink::failed)
                .description("Receipts Kafka refused or did not acknowledge in time").register(meters);
        Gauge.builder("pushfabric.receipts.queued", this, KafkaReceiptSink::queued)
                .description("Receipts waiting for the receipt producer").register(meters);
        return this;
    }

    /** Receipts waiting for the producer now. */
    public int queued() {
        return queue.size();
    }

    /**
     * Waits for receipts without a timeout, so an idle writer never wakes up; {@link #close} wakes it with
     * {@link #STOP}, or, when the queue is too full to take it, the writer finds it stopped once it has emptied it.
     */
    private void writeLoop() {
        while (running || !queue.isEmpty()) {
            Receipt receipt;
            try {
                receipt = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (receipt == STOP) {
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(topic, receipt.key(), codec.encode(receipt)), (meta, error) -> {
                    if (error == null) {
                        written.increment();
                    } else {
                        failed.increment();
                        LOG.debug("Receipt {} {} not written: {}", receipt.status().wire(), receipt.position(),
                                error.toString());
                    }
                });
            } catch (RuntimeException e) {
                failed.increment();
                LOG.warn("Receipt {} {} not written: {}", receipt.status().wire(), receipt.position(), e.toString());
            }
        }
    }

    /** Writes what is queued (for up to 5 s), then closes the producer. */
    @Override
    public void close() {
        running = false;
        queue.offer(STOP);
        try {
            writer.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
        producer.close(CLOSE_TIMEOUT);
        LOG.info("Receipt writer stopped: {} written, {} dropped, {} failed, {} left in the queue", written(), dropped(),
                failed(), queued());
    }
}
