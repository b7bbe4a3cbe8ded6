package io.pushfabric.connector.kafka;

import io.pushfabric.client.KeyPartitions;
import io.pushfabric.contracts.ChannelName;
import io.pushfabric.connector.session.ReplaySource;
import io.pushfabric.contracts.ControlMarker;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.InvalidPushRequestException;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.PushRequestCodec;
import io.pushfabric.contracts.RoutingKeys;
import io.pushfabric.contracts.UserId;
import io.pushfabric.registry.DedupeWindow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays missed messages from {@code push-requests}. Requests queue up; each worker takes every request
 * waiting and serves them with one pass per partition, from the lowest start to the highest end among
 * them, so a thousand clients coming back at once cost one read of each partition, not a thousand. What a
 * read found stays in a {@link ReplayWindow}, so the next batches of a storm, which start from about the same
 * offsets, read from Kafka only what is newer.
 * A request is all or nothing: it fails as a whole when its start is below the log start (retention
 * passed), its span or message count passes the limits, or the scan cannot finish in time.
 */
public final class KafkaReplayReader implements ReplaySource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaReplayReader.class);
    private static final int MAX_BATCH = 10_000;

    private final String topic;
    private final PushRequestCodec codec;
    private final DedupeWindow dedupe;
    private final ReplaySettings settings;
    private final Clock clock;
    private final ReplayWindow window;
    private final ReplayMetrics metrics;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    public KafkaReplayReader(Supplier<Consumer<String, byte[]>> consumers, String topic, PushRequestCodec codec,
                             DedupeWindow dedupe, ReplaySettings settings, ReplayWindow window, ReplayMetrics metrics,
                             Clock clock) {
        this.topic = topic;
        this.window = window;
        this.metrics = metrics;
        this.codec = codec;
        this.dedupe = dedupe;
        this.settings = settings;
        this.clock = clock;
        for (int i = 0; i < settings.workers(); i++) {
            Worker worker = new Worker(consumers.get());
            Thread thread = new Thread(worker, "pf-replay-" + topic + "-" + i);
            thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Replay worker died", e));
            workers.add(worker);
            thread.start();
        }
    }

    /** One replay: the records of one routing key (and, for a user, every broadcast) in some ranges. */
    private static final class Request {
        final String key;
        final boolean withBroadcasts;
        final Map<Integer, Range> ranges;
        final CompletableFuture<Result> future = new CompletableFuture<>();
        final List<Delivery> found = new ArrayList<>();
        String failure;

        Request(String key, boolean withBroadcasts, Map<Integer, Range> ranges) {
            this.key = key;
            this.withBroadcasts = withBroadcasts;
            this.ranges = ranges;
        }

        boolean wants(int partition, ReplayWindow.Entry entry) {
            if (failure != null) {
                return false;
            }
            Range r = ranges.get(partition);
            if (r == null || entry.offset() < r.from() || entry.offset() >= r.to()) {
                return false;
            }
            return (withBroadcasts && RoutingKeys.BROADCAST.equals(entry.key())) || key.equals(entry.key());
        }
    }

    @Override
    public CompletableFuture<Result> replay(UserId user, Map<Integer, Range> ranges) {
        return enqueue(new Request(user.value(), true, Map.copyOf(ranges)));
    }

    @Override
    public CompletableFuture<Result> replayChannel(ChannelName channel, int partition, Range range) {
        return enqueue(new Request(channel.routingKey(), false, Map.of(partition, range)));
    }

    private CompletableFuture<Result> enqueue(Request request) {
        for (Range r : request.ranges.values()) {
            if (r.to() - r.from() > settings.maxSpan()) {
                return CompletableFuture.completedFuture(new Result.Incomplete("replay_limit"));
            }
        }
        if (!running.get()) {
            return CompletableFuture.completedFuture(new Result.Incomplete(Result.Incomplete.NODE_STOPPING));
        }
        queue.add(request);
        return request.future;
    }

    @Override
    public void close() {
        running.set(false);
        for (Worker w : workers) {
            w.consumer.wakeup();
        }
        Request r;
        while ((r = queue.poll()) != null) {
            r.future.complete(new Result.Incomplete(Result.Incomplete.NODE_STOPPING));
        }
    }

    private final class Worker implements Runnable {
        private final Consumer<String, byte[]> consumer;

        Worker(Consumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    Request first = queue.poll(500, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        window.expire(clock.millis());
                        continue;
                    }
                    List<Request> batch = new ArrayList<>();
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    try {
                        serve(batch);
                    } catch (WakeupException e) {
                        fail(batch, Result.Incomplete.NODE_STOPPING);
                        break;
                    } catch (RuntimeException e) {
                        LOG.error("Replay of a batch of {} requests failed", batch.size(), e);
                        fail(batch, "replay_failed");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                consumer.close();
            }
        }

        private void serve(List<Request> batch) {
            Map<Integer, long[]> spans = new TreeMap<>();
            for (Request r : batch) {
                r.ranges.forEach((p, range) -> spans.merge(p, new long[] {range.from(), range.to()},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
            }
            List<TopicPartition> partitions = spans.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
            Map<TopicPartition, Long> logStart = consumer.beginningOffsets(partitions);
            for (Request r : batch) {
                r.ranges.forEach((p, range) -> {
                    Long start = logStart.get(new TopicPartition(topic, p));
                    if (start != null && range.from() < start && range.to() > range.from()) {
                        r.failure = "retention";
                    }
                });
            }
            long deadline = clock.millis() + settings.scanTimeout().toMillis();
            int partitionCount = consumer.partitionsFor(topic).size();
            List<Stretch> before = new ArrayList<>();
            List<Stretch> after = new ArrayList<>();
            for (Map.Entry<Integer, long[]> span : spans.entrySet()) {
                TopicPartition tp = new TopicPartition(topic, span.getKey());
                long from = Math.max(span.getValue()[0], logStart.getOrDefault(tp, 0L));
                long to = span.getValue()[1];
                if (from < to) {
                    readWindow(tp, from, to, new Readers(tp.partition(), batch), before, after);
                }
            }
            scan(before, deadline, partitionCount);
            scan(after, deadline, partitionCount);
            dropDuplicates(batch);
            long now = clock.millis();
            for (Request r : batch) {
                if (r.failure != null) {
                    r.future.complete(new Result.Incomplete(r.failure));
                } else {
                    List<Delivery> live = new ArrayList<>(r.found.size());
                    for (Delivery d : r.found) {
                        if (!d.request().isExpiredAt(now)) {
                            live.add(d);
                        }
                    }
                    live.sort(Comparator.comparing((Delivery d) -> d.position().partition())
                            .thenComparingLong(d -> d.position().offset()));
                    r.future.complete(new Result.Complete(live));
                }
            }
        }

        /**
         * Offers what the window holds of {@code [from, to)} of one partition to its readers, and notes what lies
         * before or after it, for Kafka.
         */
        private void readWindow(TopicPartition tp, long from, long to, Readers readers, List<Stretch> before,
                                List<Stretch> after) {
            ReplayWindow.View held = window.view(tp.partition(), from, clock.millis());
            long heldFrom = Math.min(Math.max(held.start(), from), to);
            long heldTo = Math.min(Math.max(held.end(), heldFrom), to);
            if (from < heldFrom) {
                before.add(new Stretch(tp, from, heldFrom, readers));
            }
            long fromWindow = 0;
            for (ReplayWindow.Chunk chunk : held.chunks()) {
                fromWindow += readers.offer(chunk, heldFrom, heldTo);
            }
            metrics.readFromWindow(fromWindow);
            if (heldTo < to) {
                after.add(new Stretch(tp, heldTo, to, readers));
            }
        }

        /**
         * Reads stretches of several partitions from Kafka at once, so each round trip fetches from all of them;
         * each stretch complete joins the window. Stretches not complete by the deadline fail their readers.
         */
        private void scan(List<Stretch> stretches, long deadline, int partitions) {
            if (stretches.isEmpty()) {
                return;
            }
            Map<TopicPartition, Stretch> open = new HashMap<>();
            for (Stretch s : stretches) {
                open.put(s.tp, s);
            }
            assignAll(partitions);
            consumer.resume(open.keySet());
            for (Stretch s : stretches) {
                consumer.seek(s.tp, s.from);
            }
            long read = 0;
            try {
                while (!open.isEmpty()) {
                    if (clock.millis() > deadline) {
                        open.values().forEach(s -> s.readers.fail("replay_timeout"));
                        return;
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                    for (Iterator<Stretch> it = open.values().iterator(); it.hasNext(); ) {
                        Stretch s = it.next();
                        for (ConsumerRecord<String, byte[]> record : records.records(s.tp)) {
                            if (record.offset() >= s.to) {
                                break;
                            }
                            read++;
                            s.offer(record, partitions);
                        }
                        if (consumer.position(s.tp) >= s.to) {
                            consumer.pause(List.of(s.tp));
                            it.remove();
                            s.keep();
                        }
                    }
                }
            } finally {
                metrics.readFromKafka(read);
            }
        }

        /**
         * Keeps every partition assigned, all paused until a scan resumes its own: the consumer then fetches only
         * those, and never rebuilds its per-partition state and metrics, as it would on each new assignment. A
         * paused partition needs a position all the same (this consumer resets none); a scan seeks its own.
         */
        private void assignAll(int partitions) {
            if (consumer.assignment().size() != partitions) {
                List<TopicPartition> all = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    all.add(new TopicPartition(topic, p));
                }
                consumer.assign(all);
                all.forEach(tp -> consumer.seek(tp, 0));
            }
            consumer.pause(consumer.assignment());
        }

        /** {@code [from, to)} of one partition, read from Kafka for its readers and kept for the window if it fits. */
        private final class Stretch {
            final TopicPartition tp;
            final long from;
            final long to;
            final Readers readers;
            List<ReplayWindow.Entry> kept = new ArrayList<>();
            long keptBytes;

            Stretch(TopicPartition tp, long from, long to, Readers readers) {
                this.tp = tp;
                this.from = from;
                this.to = to;
                this.readers = readers;
            }

            void offer(ConsumerRecord<String, byte[]> record, int partitions) {
                if (record.key() == null || record.headers().lastHeader(ControlMarker.HEADER) != null) {
                    return; // no routing key: dead-lettered, never delivered; a marker: not a message
                }
                if (KeyPartitions.of(record.key(), partitions) != tp.partition()) {
                    return; // dead-lettered as WRONG_PARTITION, never delivered live; a redrive re-publishes it
                }
                ReplayWindow.Entry entry = new ReplayWindow.Entry(record.offset(), record.key(), record.value());
                readers.offer(entry);
                if (kept != null) {
                    keptBytes += entry.bytes();
                    if (keptBytes > window.maxBytesPerPartition()) {
                        kept = null; // too long a read to keep: the window keeps what it had
                    } else {
                        kept.add(entry);
                    }
                }
            }

            void keep() {
                if (kept != null) {
                    window.add(tp.partition(), new ReplayWindow.Chunk(from, to, kept, keptBytes), clock.millis());
                }
            }
        }

        private void collect(Request r, int partition, ReplayWindow.Entry entry) {
            PushRequest request;
            try {
                request = codec.decode(entry.key(), entry.value());
            } catch (InvalidPushRequestException e) {
                return; // the dispatcher dead-lettered it; it was never deliverable
            }
            if (r.found.size() >= settings.maxMessages()) {
                r.failure = "replay_limit";
                r.found.clear();
                return;
            }
            r.found.add(new Delivery(new MessagePosition(partition, entry.offset()), request));
        }

        /**
         * The requests of a batch that read one partition, indexed by routing key, so each record costs one lookup
         * however many clients are waiting; a broadcast goes to every one of them (that wants it).
         */
        private final class Readers {
            private final int partition;
            private final Map<String, List<Request>> byKey = new HashMap<>();
            private final List<Request> all = new ArrayList<>();
            /** The routing keys of the records wanted: the requests' and the broadcasts'. */
            private final Set<String> keys;

            Readers(int partition, List<Request> batch) {
                this.partition = partition;
                for (Request r : batch) {
                    if (r.ranges.containsKey(partition)) {
                        all.add(r);
                        byKey.computeIfAbsent(r.key, k -> new ArrayList<>()).add(r);
                    }
                }
                keys = new HashSet<>(byKey.keySet());
                keys.add(RoutingKeys.BROADCAST);
            }

            /**
             * Offers the chunk's records in {@code [from, to)} that this batch wants (its keys and the broadcasts).
             *
             * @return how many of the chunk's records lie in the range
             */
            int offer(ReplayWindow.Chunk chunk, long from, long to) {
                for (ReplayWindow.Entry entry : chunk.select(keys, from, to)) {
                    offer(entry);
                }
                return chunk.count(from, to);
            }

            void offer(ReplayWindow.Entry entry) {
                List<Request> candidates = RoutingKeys.BROADCAST.equals(entry.key())
                        ? all : byKey.getOrDefault(entry.key(), List.of());
                for (Request r : candidates) {
                    if (r.wants(partition, entry)) {
                        collect(r, partition, entry);
                    }
                }
            }

            void fail(String reason) {
                for (Request r : all) {
                    if (r.failure == null) {
                        r.failure = reason;
                    }
                }
            }
        }

        private void dropDuplicates(List<Request> batch) {
            Map<List<String>, MessagePosition> owners = new HashMap<>();
            for (Request r : batch) {
                if (r.failure != null) {
                    continue;
                }
                r.found.removeIf(d -> {
                    String id = d.request().messageId();
                    if (id == null) {
                        return false;
                    }
                    String routingKey = RoutingKeys.of(d.request());
                    MessagePosition owner = owners.computeIfAbsent(List.of(routingKey, id), k -> {
                        MessagePosition o = dedupe.owner(routingKey, id);
                        return o == null ? d.position() : o;
                    });
                    return !owner.equals(d.position());
                });
            }
        }
    }

    private static void fail(List<Request> batch, String reason) {
        for (Request r : batch) {
            r.future.complete(new Result.Incomplete(reason));
        }
    }
}
