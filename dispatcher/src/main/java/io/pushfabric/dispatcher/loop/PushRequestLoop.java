package io.pushfabric.dispatcher.loop;

import io.micrometer.core.instrument.Timer;
import io.pushfabric.contracts.ControlMarker;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.Topics;
import io.pushfabric.dispatcher.routing.RouteResolver;
import io.pushfabric.registry.TransientRegistryException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's Kafka loop over {@code push-requests}: poll, hand the batch to the {@link BatchDispatcher}
 * (which produces through a {@link KafkaDeliverySink} and returns once every send is durable or decided), then
 * commit. A failed batch is rewound and retried with exponential backoff, so nothing is committed that was not
 * delivered; failures are told apart by type ({@link TransientRegistryException}, Kafka's
 * {@link RetriableException}, or {@link BatchRetryException} from a send): the expected ones are logged at WARN,
 * anything else at ERROR, and the loop stays alive either way. While one batch keeps failing for longer than the
 * stall limit, {@link #isStalled()} is true (readiness reports it).
 */
public final class PushRequestLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PushRequestLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final long MIN_BACKOFF_MS = 100;
    /** How often acknowledged offsets are committed while batches flow ({@link CommitPacing}). */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;
    private final Topics topics;
    private final BatchDispatcher dispatcher;
    private final KafkaSinks sinks;
    private final RouteResolver resolver;
    private final DispatchMetrics metrics;
    private final Clock clock;
    private final long maxBackoffMs;
    private final long stallLimitMs;
    private final AssignmentListener assignment;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Offsets whose batches Kafka has fully acknowledged; committed asynchronously, synchronously on revoke. */
    private final Map<TopicPartition, OffsetAndMetadata> acked = new HashMap<>();
    private final CommitPacing pacing;
    private final PollPacing pollPacing;
    private volatile boolean assigned;

    /** Makes the {@link DeliverySink} of one polled batch. */
    @FunctionalInterface
    public interface KafkaSinks {
        DeliverySink forBatch(Map<MessagePosition, ConsumerRecord<String, byte[]>> batch);
    }

    /** @param assignment told of every partition this loop gets and gives up (presence follows it) */
    public PushRequestLoop(Consumer<String, byte[]> consumer, Topics topics, BatchDispatcher dispatcher,
                           KafkaSinks sinks, RouteResolver resolver, DispatchMetrics metrics, Clock clock,
                           Duration maxBackoff, Duration stallLimit, AssignmentListener assignment,
                           Duration minCycle) {
        this.consumer = consumer;
        this.topics = topics;
        this.dispatcher = dispatcher;
        this.sinks = sinks;
        this.resolver = resolver;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBackoffMs = maxBackoff.toMillis();
        this.stallLimitMs = stallLimit.toMillis();
        this.assignment = assignment;
        this.pacing = new CommitPacing(clock, COMMIT_INTERVAL);
        this.pollPacing = PollPacing.of(minCycle);
    }

    /** The sinks of a dispatcher's producer: node-topic metadata from {@code admin}, dead letters to the DLQ. */
    public static KafkaSinks sinks(Producer<String, byte[]> producer, org.apache.kafka.clients.admin.Admin admin,
                                   Topics topics, int maxRequestBytes, Duration metadataTtl) {
        NodeTopics nodeTopics = new NodeTopics(admin, topics, metadataTtl);
        DeadLetters deadLetters = new DeadLetters(topics.deadLetter());
        return batch -> new KafkaDeliverySink(producer, topics, deadLetters, nodeTopics, maxRequestBytes, batch);
    }

    /** True once the group has given this loop its partitions (or an empty share) at least once. */
    public boolean isAssigned() {
        return assigned;
    }

    /** Asks the loop to finish its current batch and return; safe from any thread. */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topics.requests()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                commitAckedSync(partitions);
                assignment.revoked(partitions.stream().map(TopicPartition::partition).toList());
                LOG.info("Partitions revoked: {}", partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // Markers for these partitions were read by another instance: our cache may be stale.
                resolver.invalidateAll();
                assignment.assigned(partitions.stream().map(TopicPartition::partition).toList());
                assigned = true;
                LOG.info("Partitions assigned: {}", partitions);
            }
        });
        long backoffMs = MIN_BACKOFF_MS;
        try {
            while (running.get()) {
                pollPacing.beforePoll();
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                pollPacing.polled(records.count());
                if (records.isEmpty()) {
                    commitIfDue();
                    continue;
                }
                try {
                    Timer.Sample sample = Timer.start();
                    dispatch(records);
                    sample.stop(metrics.batch);
                    commit(records);
                    metrics.failingSince.set(0);
                    backoffMs = MIN_BACKOFF_MS;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (isExpected(e)) {
                        LOG.warn("Batch of {} records failed ({}); rewinding and retrying in {} ms",
                                records.count(), e.toString(), backoffMs);
                    } else {
                        LOG.error("Unexpected failure dispatching a batch of {} records; rewinding and retrying in {} ms",
                                records.count(), backoffMs, e);
                    }
                    metrics.retries.increment();
                    metrics.failingSince.compareAndSet(0, clock.millis());
                    rewind(records);
                    resolver.invalidateAll();
                    pause(backoffMs);
                    backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            commitAckedSync(List.copyOf(acked.keySet()));
            try {
                consumer.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the consumer failed: {}", e.toString());
            }
            LOG.info("Dispatch loop stopped");
        }
    }

    /** True while one batch has kept failing for longer than the stall limit. */
    public boolean isStalled() {
        long since = metrics.failingSince.get();
        return since != 0 && clock.millis() - since > stallLimitMs;
    }

    /** Failures the loop expects now and then: Redis or Kafka unavailable for a while. */
    private static boolean isExpected(RuntimeException e) {
        Throwable cause = e instanceof BatchRetryException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof TransientRegistryException || cause instanceof RetriableException;
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis); // backoff between retries of a failed batch, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private void dispatch(ConsumerRecords<String, byte[]> records) {
        List<PolledRecord> polled = new ArrayList<>(records.count());
        Map<MessagePosition, ConsumerRecord<String, byte[]>> byPosition = new HashMap<>(records.count() * 2);
        for (ConsumerRecord<String, byte[]> record : records) {
            MessagePosition position = new MessagePosition(record.partition(), record.offset());
            byPosition.put(position, record);
            polled.add(new PolledRecord(position, record.key(), record.value(),
                    record.headers().lastHeader(ControlMarker.HEADER) != null));
        }
        dispatcher.dispatch(polled, consumer.partitionsFor(topics.requests()).size(), sinks.forBatch(byPosition));
    }

    /**
     * Commits the batch without waiting, at most once per {@link #COMMIT_INTERVAL} ({@link CommitPacing}): every
     * delivery of it is already acknowledged, so a commit that is lost or late only makes a later owner re-send
     * what sessions then drop as duplicates. Taking the commit round trip out of the loop shortens every batch
     * cycle, and pacing it takes a broker request off most batches.
     */
    private void commit(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            acked.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        pacing.acknowledged();
        commitIfDue();
    }

    private void commitIfDue() {
        if (!pacing.commitNow()) {
            return;
        }
        consumer.commitAsync(Map.copyOf(acked), (offsets, error) -> {
            if (error != null) {
                LOG.debug("Asynchronous commit failed ({}); a later commit or the revoke covers it", error.toString());
            }
        });
    }

    /** Before partitions move or the loop ends: make what was acknowledged the group's position. */
    private void commitAckedSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata o = acked.remove(tp);
            if (o != null) {
                offsets.put(tp, o);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The partitions moved already; their new owner re-reads from the last commit and sessions
            // drop the resulting duplicates by message id.
            LOG.warn("Commit failed after a rebalance; the new owner will re-dispatch: {}", e.toString());
        } catch (KafkaException e) {
            LOG.warn("Commit on revoke failed; the new owner will re-dispatch: {}", e.toString());
        }
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            try {
                consumer.seek(tp, records.records(tp).get(0).offset());
            } catch (IllegalStateException e) {
                LOG.debug("{} is no longer assigned; not rewinding it", tp);
            }
        }
    }
}
