package io.pushfabric.dispatcher.loop;

import io.micrometer.core.instrument.Timer;
import io.pushfabric.contracts.ControlMarker;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.InvalidPushRequestException;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.Topics;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.routing.RouteResolver;
import io.pushfabric.registry.DedupeWindow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's consumer loop over {@code push-requests}. Per polled batch:
 * <ol>
 *   <li>sort every record: control marker (drop cached routes), valid request, or poison (dead-letter);</li>
 *   <li>drop expired requests and producer-id duplicates (one Redis round trip);</li>
 *   <li>resolve the users to live nodes (cache, then one Redis round trip for the misses);</li>
 *   <li>produce one delivery per node, in record order, so per-user order holds on every node topic;</li>
 *   <li>wait until Kafka has acknowledged every delivery and dead letter, then commit the batch.</li>
 * </ol>
 * A transient failure (Redis or Kafka unavailable) rewinds the batch and retries it with backoff, so
 * nothing is committed that was not delivered; a poison record never blocks its partition.
 */
public final class PushRequestLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PushRequestLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final long MIN_BACKOFF_MS = 100;

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final PushRequestCodec requestCodec;
    private final DeliveryCodec deliveryCodec = new DeliveryCodec();
    private final RouteResolver resolver;
    private final DedupeWindow dedupe;
    private final Duration dedupeWindow;
    private final DispatchMetrics metrics;
    private final Clock clock;
    private final long maxBackoffMs;
    private final DeadLetters deadLetters;
    private final WrongPartitionAlarm wrongPartition;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Offsets whose batches Kafka has fully acknowledged; committed asynchronously, synchronously on revoke. */
    private final Map<TopicPartition, OffsetAndMetadata> acked = new HashMap<>();
    private volatile boolean assigned;

    public PushRequestLoop(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, Topics topics,
                           PushRequestCodec requestCodec, RouteResolver resolver, DedupeWindow dedupe,
                           Duration dedupeWindow, DispatchMetrics metrics, Clock clock, Duration maxBackoff) {
        this.consumer = consumer;
        this.producer = producer;
        this.topics = topics;
        this.requestCodec = requestCodec;
        this.resolver = resolver;
        this.dedupe = dedupe;
        this.dedupeWindow = dedupeWindow;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBackoffMs = maxBackoff.toMillis();
        this.deadLetters = new DeadLetters(topics.deadLetter());
        this.wrongPartition = new WrongPartitionAlarm(metrics, clock);
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
                LOG.info("Partitions revoked: {}", partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // Markers for these partitions were read by another instance: our cache may be stale.
                resolver.invalidateAll();
                assigned = true;
                LOG.info("Partitions assigned: {}", partitions);
            }
        });
        long backoffMs = MIN_BACKOFF_MS;
        try {
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    Timer.Sample sample = Timer.start();
                    dispatch(records);
                    sample.stop(metrics.batch);
                    commit(records);
                    backoffMs = MIN_BACKOFF_MS;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException | ExecutionException e) {
                    if (isTransient(e)) {
                        LOG.warn("Batch of {} records failed ({}); rewinding and retrying in {} ms",
                                records.count(), e.toString(), backoffMs);
                    } else {
                        LOG.error("Unexpected failure dispatching a batch of {} records; rewinding and retrying in {} ms",
                                records.count(), backoffMs, e);
                    }
                    metrics.retries.increment();
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

    private static boolean isTransient(Exception e) {
        return e instanceof ExecutionException || e instanceof KafkaException
                || e.getClass().getName().startsWith("org.redisson");
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis); // backoff between retries of a failed batch, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** One valid request with where it came from. */
    private record Accepted(ConsumerRecord<String, byte[]> record, MessagePosition position, PushRequest request) {
    }

    void dispatch(ConsumerRecords<String, byte[]> records) throws ExecutionException {
        long now = clock.millis();
        List<Accepted> accepted = new ArrayList<>(records.count());
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        // 1. Sort. Markers take effect before any lookup of this batch, which is at least as fresh as
        //    applying each one at its own offset.
        PartitionCheck placement = new PartitionCheck(consumer.partitionsFor(topics.requests()).size());
        for (ConsumerRecord<String, byte[]> record : records) {
            Optional<PartitionCheck.Misplaced> misplaced = placement.check(record.key(), record.partition());
            Header control = record.headers().lastHeader(ControlMarker.HEADER);
            if (control != null) {
                misplaced.ifPresent(m -> wrongPartition.marker(m, record.offset()));
                applyMarker(record);
                continue;
            }
            try {
                PushRequest request = requestCodec.decode(record.key(), record.value());
                if (misplaced.isPresent()) {
                    sends.add(deadLetter(record, "WRONG_PARTITION", wrongPartition.request(misplaced.get(), record.offset())));
                    continue;
                }
                if (request.isExpiredAt(now)) {
                    metrics.expired.increment();
                    LOG.debug("Expired before dispatch: {}-{}", record.partition(), record.offset());
                    continue;
                }
                accepted.add(new Accepted(record, new MessagePosition(record.partition(), record.offset()), request));
            } catch (InvalidPushRequestException e) {
                sends.add(deadLetter(record, e.reason().name(), e.detail()));
            } catch (RuntimeException e) {
                LOG.error("Unexpected error decoding {}-{}; dead-lettering it", record.partition(), record.offset(), e);
                sends.add(deadLetter(record, "UNEXPECTED", e.toString()));
            }
        }
        // 2. Producer-id duplicates, then 3. routes: one Redis round trip each for the whole batch.
        Timer.Sample lookup = Timer.start();
        List<Accepted> unique = dropDuplicates(accepted);
        Set<UserId> users = new LinkedHashSet<>();
        boolean anyBroadcast = false;
        for (Accepted a : unique) {
            if (a.request().isBroadcast()) {
                anyBroadcast = true;
            } else {
                users.add(a.request().user());
            }
        }
        Map<UserId, Set<NodeId>> targets = users.isEmpty() ? Map.of() : resolver.resolve(users);
        Set<NodeId> allLive = anyBroadcast ? resolver.liveNodes() : Set.of();
        lookup.stop(metrics.routeLookup);
        // 4. Deliveries in record order.
        for (Accepted a : unique) {
            Set<NodeId> nodes = a.request().isBroadcast() ? allLive : targets.getOrDefault(a.request().user(), Set.of());
            if (nodes.isEmpty()) {
                metrics.offline.increment();
                continue;
            }
            byte[] value = deliveryCodec.encode(new Delivery(a.position(), a.request()));
            String key = RoutingKeys.of(a.request());
            for (NodeId node : nodes) {
                sends.add(producer.send(new ProducerRecord<>(topics.nodeTopic(node), key, value)));
            }
            metrics.routed.increment();
            metrics.deliveries.increment(nodes.size());
        }
        // 5. Nothing is committed before Kafka has every delivery.
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted waiting for acknowledgements", e);
            }
        }
    }

    private List<Accepted> dropDuplicates(List<Accepted> accepted) {
        List<DedupeWindow.Claim> claims = new ArrayList<>();
        for (Accepted a : accepted) {
            if (a.request().messageId() != null) {
                claims.add(new DedupeWindow.Claim(RoutingKeys.of(a.request()), a.request().messageId(), a.position()));
            }
        }
        if (claims.isEmpty()) {
            return accepted;
        }
        Set<MessagePosition> duplicates = dedupe.claim(claims, dedupeWindow);
        if (duplicates.isEmpty()) {
            return accepted;
        }
        List<Accepted> unique = new ArrayList<>(accepted.size());
        for (Accepted a : accepted) {
            if (duplicates.contains(a.position())) {
                metrics.duplicate.increment();
                LOG.debug("Duplicate producer id {} at {}", a.request().messageId(), a.position());
            } else {
                unique.add(a);
            }
        }
        return unique;
    }

    private void applyMarker(ConsumerRecord<String, byte[]> record) {
        metrics.markers.increment();
        ControlMarker marker;
        try {
            marker = ControlMarker.decode(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring unreadable control record {}-{}: {}", record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (marker.kind() == ControlMarker.Kind.SESSION_OPENED) {
            resolver.invalidateUser(marker.user());
        } else {
            resolver.invalidateLiveNodes();
        }
    }

    private Future<RecordMetadata> deadLetter(ConsumerRecord<String, byte[]> record, String reason, String detail) {
        metrics.deadLettered.increment();
        LOG.debug("Dead-lettering {}-{}: {} {}", record.partition(), record.offset(), reason, detail);
        return producer.send(deadLetters.of(record, reason, detail));
    }

    /**
     * Commits the batch without waiting: every delivery of it is already acknowledged, so a commit that
     * is lost only makes a later owner re-send what sessions then drop as duplicates. Taking the commit
     * round trip out of the loop shortens every batch cycle.
     */
    private void commit(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            acked.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
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
