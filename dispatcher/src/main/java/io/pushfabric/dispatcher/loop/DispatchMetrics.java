package io.pushfabric.dispatcher.loop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pushfabric.contracts.InvalidPushRequestException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the dispatcher counts. Every request read from {@code push-requests} ends in exactly one outcome:
 * {@code routed} (sent to at least one node), {@code offline} (no live session; replay's business),
 * {@code expired}, {@code duplicate} (producer id seen within the window) or {@code dead_lettered}.
 */
public final class DispatchMetrics {
    final Counter routed;
    final Counter offline;
    final Counter expired;
    final Counter duplicate;
    final Counter deadLettered;
    final Counter deliveries;
    final Counter markers;
    final Counter wrongPartitionRequests;
    final Counter wrongPartitionMarkers;
    final Counter retries;
    final Counter fenced;
    /** Epoch millis since which the current batch keeps failing; 0 while batches succeed. */
    final AtomicLong failingSince = new AtomicLong();
    final Timer routeLookup;
    final Timer batch;
    /** Deliveries per node-topic record sent: how well a polled batch packs per node. */
    final DistributionSummary recordDeliveries;
    private final MeterRegistry registry;
    private final Map<String, Counter> deadLettersByReason = new ConcurrentHashMap<>();

    public DispatchMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.routed = outcome(registry, "routed");
        this.offline = outcome(registry, "offline");
        this.expired = outcome(registry, "expired");
        this.duplicate = outcome(registry, "duplicate");
        this.deadLettered = outcome(registry, "dead_lettered");
        this.deliveries = Counter.builder("pushfabric.dispatcher.deliveries")
                .description("Deliveries produced to node topics (one per node per request)").register(registry);
        this.markers = Counter.builder("pushfabric.dispatcher.control.markers")
                .description("Control markers read from push-requests").register(registry);
        this.wrongPartitionRequests = wrongPartition(registry, "request");
        this.wrongPartitionMarkers = wrongPartition(registry, "marker");
        this.retries = Counter.builder("pushfabric.dispatcher.batch.retries")
                .description("Batches retried after a transient Redis or Kafka failure").register(registry);
        this.fenced = Counter.builder("pushfabric.dispatcher.nodes.fenced")
                .description("Connector nodes fenced (lease evicted) because they could not take deliveries")
                .register(registry);
        Gauge.builder("pushfabric.dispatcher.batch.failing.seconds", failingSince,
                        since -> since.get() == 0 ? 0 : (clock.millis() - since.get()) / 1000.0)
                .description("How long the current batch has been failing and retried; 0 while dispatch flows")
                .register(registry);
        this.routeLookup = Timer.builder("pushfabric.dispatcher.redis.lookup")
                .description("Route and dedupe lookups in Redis, one per batch").publishPercentileHistogram()
                .register(registry);
        this.batch = Timer.builder("pushfabric.dispatcher.batch")
                .description("Time to dispatch one polled batch, until every delivery is acknowledged")
                .publishPercentileHistogram().register(registry);
        this.recordDeliveries = DistributionSummary.builder("pushfabric.dispatcher.node.record.deliveries")
                .description("Deliveries carried by one node-topic record (a node's share of a polled batch)")
                .register(registry);
        // Every reason the dispatcher can give exists from the start, at zero, so dashboards and alerts see it.
        for (InvalidPushRequestException.Reason reason : InvalidPushRequestException.Reason.values()) {
            deadLetter(reason.name());
        }
        for (String reason : List.of(BatchDispatcher.WRONG_PARTITION, BatchDispatcher.UNDELIVERABLE, BatchDispatcher.UNEXPECTED)) {
            deadLetter(reason);
        }
    }

    /** The dead-letter counter of one reason (the {@code pf-dlq-reason} a dead letter carries). */
    Counter deadLetter(String reason) {
        return deadLettersByReason.computeIfAbsent(reason, r -> Counter.builder("pushfabric.dispatcher.dead.letters")
                .tag("reason", r).description("Requests dead-lettered, by reason").register(registry));
    }

    /** Requests dead-lettered with this reason so far. */
    public double deadLetters(String reason) {
        Counter counter = deadLettersByReason.get(reason);
        return counter == null ? 0 : counter.count();
    }

    private static Counter wrongPartition(MeterRegistry registry, String record) {
        return Counter.builder("pushfabric.dispatcher.wrong.partition").tag("record", record)
                .description("Keyed records of push-requests found outside the partition their key maps to")
                .register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("pushfabric.dispatcher.requests").tag("outcome", outcome)
                .description("Push requests read from push-requests, by outcome").register(registry);
    }

    /** Node-topic records sent so far, each carrying one or more deliveries. */
    public long nodeRecords() {
        return recordDeliveries.count();
    }

    /** Deliveries sent so far in node-topic records (a retried batch counts each attempt). */
    public double deliveriesInNodeRecords() {
        return recordDeliveries.totalAmount();
    }

    /** Nodes fenced so far by this dispatcher. */
    public double fenced() {
        return fenced.count();
    }

    public double count(String outcome) {
        return switch (outcome) {
            case "routed" -> routed.count();
            case "offline" -> offline.count();
            case "expired" -> expired.count();
            case "duplicate" -> duplicate.count();
            case "dead_lettered" -> deadLettered.count();
            default -> throw new IllegalArgumentException("unknown outcome " + outcome);
        };
    }
}
