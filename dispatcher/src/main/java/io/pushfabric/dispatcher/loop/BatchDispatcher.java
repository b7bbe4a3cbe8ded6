package io.pushfabric.dispatcher.loop;

import io.micrometer.core.instrument.Timer;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.ControlMarker;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.DeliveryCodec;
import io.pushfabric.contracts.InvalidPushRequestException;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import io.pushfabric.dispatcher.receipts.DispatchReceipts;
import io.pushfabric.dispatcher.routing.RouteResolver;
import io.pushfabric.registry.DedupeWindow;
import io.pushfabric.registry.NodeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's decisions for one polled batch of {@code push-requests}, free of Kafka:
 * <ol>
 *   <li>{@link #sort}: control marker (drop cached routes), valid request, expired, or poison (dead-letter);</li>
 *   <li>{@link #dropDuplicates}: producer-id duplicates (one Redis round trip);</li>
 *   <li>{@link #resolve}: the users' and channels' live nodes (cache, then one Redis round trip for the misses);</li>
 *   <li>{@link #fanOut}: one delivery per node, in record order, so per-user (and per-channel) order holds on
 *       every node topic; a channel costs one delivery per node that holds subscribers, never one per subscriber;
 *       a node's deliveries of the batch travel together in as few node-topic records as fit
 *       ({@link NodeRecords});</li>
 *   <li>{@link #settle}: wait for every send, then act on failures by their {@link FailureScope}: a node that
 *       cannot take deliveries is fenced (its lease evicted, so it closes its sessions and they resume with their
 *       cursors) and dispatch goes on for every other node; a record no node could take is dead-lettered as
 *       {@value #UNDELIVERABLE}; a transient failure throws {@link BatchRetryException} so that nothing of the
 *       batch is committed, unless deliveries to that one node have kept failing for the node failure limit:
 *       then the node is fenced, so one node that cannot be written never holds everyone back.</li>
 * </ol>
 * Not thread-safe: one per consumer loop.
 */
public final class BatchDispatcher {
    /** Dead-letter reason of a record that no produce request can carry. */
    public static final String UNDELIVERABLE = "UNDELIVERABLE";
    /** Dead-letter reason of a keyed request found outside the partition its key maps to. */
    public static final String WRONG_PARTITION = "WRONG_PARTITION";
    /** Dead-letter reason of a record whose decoding failed in a way no other reason names. */
    public static final String UNEXPECTED = "UNEXPECTED";
    private static final Logger LOG = LoggerFactory.getLogger(BatchDispatcher.class);

    private final PushRequestCodec requestCodec;
    private final DeliveryCodec deliveryCodec = new DeliveryCodec();
    private final RouteResolver resolver;
    private final DedupeWindow dedupe;
    private final Duration dedupeWindow;
    private final NodeRegistry nodes;
    private final DispatchMetrics metrics;
    private final Clock clock;
    private final Duration ackPatience;
    private final WrongPartitionAlarm wrongPartition;
    private final long nodeFailureLimitMillis;
    private final DispatchReceipts receipts;
    /** Nodes whose deliveries keep failing transiently, with the time of the first failure in the streak. */
    private final Map<NodeId, Long> failingSince = new HashMap<>();

    /**
     * @param ackPatience      how long to wait for a node's acknowledgement before asking the sink whether the
     *                         node is gone (a deleted topic never answers until the producer's delivery timeout)
     * @param nodeFailureLimit how long deliveries to one node may keep failing transiently (its topic exists
     *                         but cannot be written) before that node is fenced instead of the batch retried
     */
    public BatchDispatcher(PushRequestCodec requestCodec, RouteResolver resolver, DedupeWindow dedupe,
                           Duration dedupeWindow, NodeRegistry nodes, DispatchMetrics metrics, Clock clock,
                           Duration ackPatience, Duration nodeFailureLimit) {
        this(requestCodec, resolver, dedupe, dedupeWindow, nodes, metrics, clock, ackPatience, nodeFailureLimit,
                DispatchReceipts.off(clock));
    }

    /** @param receipts what becomes of each request, for {@code push-receipts}; published once a batch went through */
    public BatchDispatcher(PushRequestCodec requestCodec, RouteResolver resolver, DedupeWindow dedupe,
                           Duration dedupeWindow, NodeRegistry nodes, DispatchMetrics metrics, Clock clock,
                           Duration ackPatience, Duration nodeFailureLimit, DispatchReceipts receipts) {
        this.receipts = receipts;
        this.requestCodec = requestCodec;
        this.resolver = resolver;
        this.dedupe = dedupe;
        this.dedupeWindow = dedupeWindow;
        this.nodes = nodes;
        this.metrics = metrics;
        this.clock = clock;
        this.ackPatience = ackPatience;
        this.wrongPartition = new WrongPartitionAlarm(metrics, clock);
        this.nodeFailureLimitMillis = nodeFailureLimit.toMillis();
    }

    /** One valid request with where it came from. */
    private record Accepted(PolledRecord record, PushRequest request) {
        MessagePosition position() {
            return record.position();
        }
    }

    /**
     * One send in flight: a node-topic record with the deliveries of {@code records} ({@code node} set), or the
     * dead letter of one record ({@code node} null).
     */
    private record Send(List<PolledRecord> records, NodeId node, CompletableFuture<Void> ack) {
    }

    /** What happened to this batch's records and nodes while its sends settle. */
    private static final class Outcomes {
        final List<Send> deadLetters = new ArrayList<>();
        /** The reason of each of {@link #deadLetters}, in the same order. */
        final List<String> deadLetterReasons = new ArrayList<>();
        final Set<NodeId> fenced = new HashSet<>();
        final Set<MessagePosition> undeliverable = new HashSet<>();
        Throwable transientFailure;
    }

    /**
     * Dispatches one batch. Returns when every delivery and dead letter is durable or decided.
     *
     * @param partitions the partition count of {@code push-requests} now, against which each record's place is
     *                   checked ({@link PartitionCheck})
     * @throws BatchRetryException on a transient failure: nothing of the batch may be committed
     */
    public void dispatch(List<PolledRecord> records, int partitions, DeliverySink sink) {
        Outcomes outcomes = new Outcomes();
        receipts.begin();
        List<Accepted> accepted = sort(records, new PartitionCheck(partitions), sink, outcomes);
        Timer.Sample lookup = Timer.start();
        List<Accepted> unique = dropDuplicates(accepted);
        Targets targets = resolve(unique);
        lookup.stop(metrics.routeLookup);
        List<Send> deliveries = fanOut(unique, targets, sink, outcomes);
        settle(deliveries, sink, outcomes);
        if (outcomes.transientFailure != null) {
            throw new BatchRetryException("a send failed transiently: " + outcomes.transientFailure,
                    outcomes.transientFailure);
        }
        failingSince.clear(); // the batch went through: a node that failed before starts afresh next time
        count(unique, targets, outcomes);
        receipts.publish();
    }

    /**
     * Step 1. Markers take effect before any lookup of this batch, which is at least as fresh as applying each
     * one at its own offset.
     */
    private List<Accepted> sort(List<PolledRecord> records, PartitionCheck placement, DeliverySink sink,
                                Outcomes outcomes) {
        long now = clock.millis();
        List<Accepted> accepted = new ArrayList<>(records.size());
        for (PolledRecord record : records) {
            Optional<PartitionCheck.Misplaced> misplaced = placement.check(record.key(), record.position().partition());
            if (record.controlMarker()) {
                misplaced.ifPresent(m -> wrongPartition.marker(m, record.position().offset()));
                applyMarker(record);
                continue;
            }
            try {
                PushRequest request = requestCodec.decode(record.key(), record.value());
                if (misplaced.isPresent()) {
                    deadLetter(record, WRONG_PARTITION,
                            wrongPartition.request(misplaced.get(), record.position().offset()), sink, outcomes);
                    continue;
                }
                if (request.isExpiredAt(now)) {
                    metrics.expired.increment();
                    receipts.expired(record.position(), request);
                    LOG.debug("Expired before dispatch: {}", record.position());
                    continue;
                }
                accepted.add(new Accepted(record, request));
            } catch (InvalidPushRequestException e) {
                deadLetter(record, e.reason().name(), e.detail(), sink, outcomes);
            } catch (RuntimeException e) {
                LOG.error("Unexpected error decoding {}; dead-lettering it", record.position(), e);
                deadLetter(record, UNEXPECTED, e.toString(), sink, outcomes);
            }
        }
        return accepted;
    }

    private void applyMarker(PolledRecord record) {
        metrics.markers.increment();
        ControlMarker marker;
        try {
            marker = ControlMarker.decode(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring unreadable control record {}: {}", record.position(), e.getMessage());
            return;
        }
        if (marker.kind() == ControlMarker.Kind.SESSION_OPENED) {
            resolver.invalidateUser(marker.user());
        } else if (marker.kind() == ControlMarker.Kind.SUBSCRIPTION_OPENED) {
            resolver.invalidateChannel(marker.channel());
        } else {
            resolver.invalidateLiveNodes();
        }
    }

    /** Step 2. Producer-id duplicates, one Redis round trip for the whole batch. */
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
                receipts.duplicate(a.position(), a.request());
                LOG.debug("Duplicate producer id {} at {}", a.request().messageId(), a.position());
            } else {
                unique.add(a);
            }
        }
        return unique;
    }

    /** The live nodes of this batch's users and channels, and of everyone when the batch holds a broadcast. */
    private record Targets(Map<UserId, Set<NodeId>> users, Map<ChannelName, Set<NodeId>> channels,
                           Set<NodeId> allLive) {
        Set<NodeId> of(PushRequest request) {
            if (request.isChannel()) {
                return channels.getOrDefault(request.channel(), Set.of());
            }
            return request.isBroadcast() ? allLive : users.getOrDefault(request.user(), Set.of());
        }
    }

    /** Step 3. Routes, one Redis round trip for the users (and one for the channels) the cache does not hold. */
    private Targets resolve(List<Accepted> unique) {
        Set<UserId> users = new LinkedHashSet<>();
        Set<ChannelName> channels = new LinkedHashSet<>();
        boolean anyBroadcast = false;
        for (Accepted a : unique) {
            if (a.request().isChannel()) {
                channels.add(a.request().channel());
            } else if (a.request().isBroadcast()) {
                anyBroadcast = true;
            } else {
                users.add(a.request().user());
            }
        }
        return new Targets(users.isEmpty() ? Map.of() : resolver.resolve(users),
                channels.isEmpty() ? Map.of() : resolver.resolveChannels(channels),
                anyBroadcast ? resolver.liveNodes() : Set.of());
    }

    /**
     * Step 4. Deliveries in record order, packed per node into as few node-topic records as fit
     * ({@link NodeRecords}). A send the sink refuses at once is decided at once, so a fenced node gets nothing more
     * of this batch: its topic never holds a later record without an earlier one.
     */
    private List<Send> fanOut(List<Accepted> unique, Targets targets, DeliverySink sink, Outcomes outcomes) {
        NodeRecords perNode = new NodeRecords();
        for (Accepted a : unique) {
            Set<NodeId> nodes = targets.of(a.request());
            if (nodes.isEmpty()) {
                continue;
            }
            byte[] value = deliveryCodec.encode(new Delivery(a.position(), receipts.marked(a.request())));
            for (NodeId node : nodes) {
                perNode.add(node, a.record(), value);
            }
        }
        List<Send> sends = new ArrayList<>();
        for (NodeRecords.Packed packed : perNode.pack(sink::maxRecordBytes)) {
            if (outcomes.fenced.contains(packed.node())) {
                continue;
            }
            List<NodeRecords.Entry> entries = packed.entries().stream()
                    .filter(e -> !outcomes.undeliverable.contains(e.record().position())).toList();
            if (entries.isEmpty()) {
                continue;
            }
            NodeRecords.Packed sending = new NodeRecords.Packed(packed.node(), entries);
            metrics.recordDeliveries.record(entries.size());
            Send send = new Send(sending.records(), packed.node(), sink.deliver(packed.node(), sending.value()));
            if (send.ack().isCompletedExceptionally()) {
                onFailure(send, failureOf(send.ack()), sink, outcomes);
            } else {
                sends.add(send);
            }
        }
        return sends;
    }

    /** Step 5. Every send durable or decided; dead letters written on the way are waited for too. */
    private void settle(List<Send> deliveries, DeliverySink sink, Outcomes outcomes) {
        for (Send send : deliveries) {
            if (outcomes.fenced.contains(send.node())) {
                continue; // its node's sessions resume from their cursors; this ack no longer matters
            }
            Throwable failure = await(send, sink, outcomes);
            if (failure != null) {
                onFailure(send, failure, sink, outcomes);
            } else {
                failingSince.remove(send.node());
            }
        }
        for (int i = 0; i < outcomes.deadLetters.size(); i++) {
            Send send = outcomes.deadLetters.get(i);
            Throwable failure = failureOf(send.ack());
            if (failure != null) {
                onFailure(send, failure, sink, outcomes);
            }
        }
    }

    /** Waits for one delivery; a node whose acknowledgement is slow is asked about once, then waited for. */
    private Throwable await(Send send, DeliverySink sink, Outcomes outcomes) {
        try {
            send.ack().get(ackPatience.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException slow) {
            if (sink.nodeGone(send.node())) {
                fence(send.node(), "no acknowledgement within " + ackPatience.toMillis() + " ms and the node is gone",
                        outcomes);
                return null;
            }
            return failureOf(send.ack());
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private void onFailure(Send send, Throwable failure, DeliverySink sink, Outcomes outcomes) {
        FailureScope scope = failure instanceof InterruptedException ? FailureScope.TRANSIENT
                : sink.classify(send.node(), failure);
        if (send.node() == null) {
            scope = FailureScope.TRANSIENT; // a dead letter that fails is retried with its batch
        }
        switch (scope) {
            case NODE -> fence(send.node(), failure.toString(), outcomes);
            case RECORD -> {
                for (PolledRecord record : send.records()) {
                    if (outcomes.undeliverable.add(record.position())) {
                        deadLetter(record, UNDELIVERABLE, failure.getMessage() == null ? failure.toString()
                                : failure.getMessage(), sink, outcomes);
                    }
                }
            }
            case TRANSIENT -> {
                if (send.node() != null && failingTooLong(send.node())) {
                    fence(send.node(), "its deliveries kept failing for " + nodeFailureLimitMillis + " ms, last "
                            + failure, outcomes);
                } else if (outcomes.transientFailure == null) {
                    outcomes.transientFailure = failure;
                }
            }
        }
    }

    private boolean failingTooLong(NodeId node) {
        long now = clock.millis();
        return now - failingSince.computeIfAbsent(node, n -> now) >= nodeFailureLimitMillis;
    }

    /**
     * Takes the node out of routing: its lease is evicted, so its next heartbeat finds the lease lapsed and the
     * node closes its sessions (they resume with their cursors and replay what this batch could not deliver).
     */
    private void fence(NodeId node, String why, Outcomes outcomes) {
        if (!outcomes.fenced.add(node)) {
            return;
        }
        failingSince.remove(node);
        boolean wasLive = nodes.evict(node);
        resolver.invalidateLiveNodes();
        metrics.fenced.increment();
        LOG.warn("Fenced node {} ({}): its lease {} evicted; its sessions will resume elsewhere with their cursors",
                node, why, wasLive ? "was" : "was already");
    }

    private void deadLetter(PolledRecord record, String reason, String detail, DeliverySink sink, Outcomes outcomes) {
        LOG.debug("Dead-lettering {}: {} {}", record.position(), reason, detail);
        outcomes.deadLetters.add(new Send(List.of(record), null, sink.deadLetter(record, reason, detail)));
        outcomes.deadLetterReasons.add(reason);
        receipts.rejected(record.position(), record.key(), record.value(), reason, detail);
    }

    /** Outcome counters, once the batch is done (a retried batch counts only the attempt that succeeded). */
    private void count(List<Accepted> unique, Targets targets, Outcomes outcomes) {
        metrics.deadLettered.increment(outcomes.deadLetters.size());
        outcomes.deadLetterReasons.forEach(reason -> metrics.deadLetter(reason).increment());
        for (Accepted a : unique) {
            if (outcomes.undeliverable.contains(a.position())) {
                continue;
            }
            receipts.dispatched(a.position(), a.request(), targets.of(a.request()), outcomes.fenced);
            int reached = 0;
            for (NodeId node : targets.of(a.request())) {
                if (!outcomes.fenced.contains(node)) {
                    reached++;
                }
            }
            if (reached == 0) {
                metrics.offline.increment();
            } else {
                metrics.routed.increment();
                metrics.deliveries.increment(reached);
            }
        }
    }

    private static Throwable failureOf(CompletableFuture<Void> ack) {
        try {
            ack.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }
}
