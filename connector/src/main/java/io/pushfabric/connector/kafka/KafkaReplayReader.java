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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
            for (Map.Entry<Integer, long[]> span : spans.entrySet()) {
                TopicPartition tp = new TopicPartition(topic, span.getKey());
                long from = Math.max(span.getValue()[0], logStart.getOrDefault(tp, 0L));
                read(tp, from, span.getValue()[1], new Readers(tp.partition(), batch), deadline, partitionCount);
            }
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
         * Offers {@code [from, to)} of one partition to its readers: what the window holds from memory, what lies
         * before or after it from Kafka.
         */
        private void read(TopicPartition tp, long from, long to, Readers readers, long deadline, int partitions) {
            if (from >= to) {
                return;
            }
            ReplayWindow.View held = window.view(tp.partition(), from, clock.millis());
            long heldFrom = Math.min(Math.max(held.start(), from), to);
            long heldTo = Math.min(Math.max(held.end(), heldFrom), to);
            if (from < heldFrom) {
                scan(tp, from, heldFrom, readers, deadline, partitions);
            }
            long fromWindow = 0;
            for (ReplayWindow.Chunk chunk : held.chunks()) {
                for (ReplayWindow.Entry entry : chunk.entries()) {
                    if (entry.offset() >= heldFrom && entry.offset() < heldTo) {
                        readers.offer(entry);
                        fromWindow++;
                    }
                }
            }
            metrics.readFromWindow(fromWindow);
            if (heldTo < to) {
                scan(tp, heldTo, to, readers, deadline, partitions);
            }
        }

        private void scan(TopicPartition tp, long from, long to, Readers readers, long deadline, int partitions) {
            List<ReplayWindow.Entry> kept = new ArrayList<>();
            long keptBytes = 0;
            long read = 0;
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            try {
                while (consumer.position(tp) < to) {
                    if (clock.millis() > deadline) {
                        readers.fail("replay_timeout");
                        return;
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                        if (record.offset() >= to) {
                            break;
                        }
                        read++;
                        if (record.key() == null || record.headers().lastHeader(ControlMarker.HEADER) != null) {
                            continue; // no routing key: dead-lettered, never delivered; a marker: not a message
                        }
                        if (KeyPartitions.of(record.key(), partitions) != tp.partition()) {
                            continue; // dead-lettered as WRONG_PARTITION, never delivered live; a redrive re-publishes it
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
                }
            } finally {
                metrics.readFromKafka(read);
            }
            if (kept != null) {
                window.add(tp.partition(), new ReplayWindow.Chunk(from, to, kept, keptBytes), clock.millis());
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

            Readers(int partition, List<Request> batch) {
                this.partition = partition;
                for (Request r : batch) {
                    if (r.ranges.containsKey(partition)) {
                        all.add(r);
                        byKey.computeIfAbsent(r.key, k -> new ArrayList<>()).add(r);
                    }
                }
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
