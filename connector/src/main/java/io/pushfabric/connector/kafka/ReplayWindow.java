package io.pushfabric.connector.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stretch of each {@code push-requests} partition that replay read last, kept in memory so the next
 * replays of a reconnect storm read it from here instead of from Kafka again. Every client of a lost node
 * resumes from about the same offsets, and without it each replay batch re-read everything from the oldest
 * of them to the log's end.
 *
 * <p>A partition's window is one contiguous range of offsets {@code [start, end)}: it holds every servable
 * record in it (markers and records on the wrong partition are left out, as replay skips them), so a replay
 * needs Kafka only for what lies outside it: before {@code start} (the cursors of quiet users, who got nothing
 * for a while, lie further back), and after {@code end}. Both reads join the window. Offsets of a partition never change meaning
 * while the topic id stays the same, so an entry never goes stale. Each partition keeps at most its share
 * of {@code maxBytes}, dropping its oldest reads first; with no replay for {@code idleMillis} the window empties.
 * Thread-safe: the replay workers share it.
 */
public final class ReplayWindow {
    /** One servable record of {@code push-requests}. */
    record Entry(long offset, String key, byte[] value) {
        /** An estimate of the heap it takes: the record, its key and value, and its place in its chunk's index. */
        long bytes() {
            return 160L + (key == null ? 0 : 2L * key.length()) + value.length;
        }
    }

    /**
     * Every servable record of one read from Kafka, which covered the offsets {@code [from, to)}, in offset order,
     * and the same records by routing key, so a replay of a few users finds theirs without going through all.
     */
    record Chunk(long from, long to, List<Entry> entries, long bytes, Map<String, List<Entry>> byKey) {
        Chunk(long from, long to, List<Entry> entries, long bytes) {
            this(from, to, List.copyOf(entries), bytes, index(entries));
        }

        private static Map<String, List<Entry>> index(List<Entry> entries) {
            Map<String, List<Entry>> byKey = new HashMap<>();
            for (Entry e : entries) {
                byKey.computeIfAbsent(e.key(), k -> new ArrayList<>(2)).add(e);
            }
            return byKey;
        }

        /**
         * The records in {@code [from, to)} whose routing key is one of {@code keys}, each key's in offset order:
         * through the index when there are few keys for the records in the range (a storm's small replay batches
         * against a large window), else one record after the other.
         */
        List<Entry> select(Set<String> keys, long fromOffset, long toOffset) {
            List<Entry> selected = new ArrayList<>();
            if (keys.size() * INDEX_BELOW_RECORDS_PER_KEY > count(fromOffset, toOffset)) {
                for (Entry e : entries) {
                    if (e.offset() >= fromOffset && e.offset() < toOffset && keys.contains(e.key())) {
                        selected.add(e);
                    }
                }
                return selected;
            }
            for (String key : keys) {
                for (Entry e : byKey.getOrDefault(key, List.of())) {
                    if (e.offset() >= fromOffset && e.offset() < toOffset) {
                        selected.add(e);
                    }
                }
            }
            return selected;
        }

        /** How many records lie in {@code [from, to)}. */
        int count(long fromOffset, long toOffset) {
            return firstAtOrAfter(toOffset) - firstAtOrAfter(fromOffset);
        }

        private int firstAtOrAfter(long offset) {
            int low = 0;
            int high = entries.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (entries.get(mid).offset() < offset) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        /** This chunk and the one right after it, as one. */
        Chunk join(Chunk next) {
            if (next.entries.isEmpty()) {
                return new Chunk(from, next.to, entries, bytes, byKey); // nothing new: the same records and index
            }
            List<Entry> both = new ArrayList<>(entries.size() + next.entries.size());
            both.addAll(entries);
            both.addAll(next.entries);
            return new Chunk(from, next.to, both, bytes + next.bytes);
        }

        Chunk startingAt(long offset) {
            List<Entry> kept = entries.stream().filter(e -> e.offset() >= offset).toList();
            return new Chunk(offset, to, kept, kept.stream().mapToLong(Entry::bytes).sum());
        }
    }

    /** What the window holds of a partition: every record in {@code [start, end)}, in its chunks in order. */
    record View(long start, long end, List<Chunk> chunks) {
    }

    /** {@link Chunk#select} goes through the index when the range holds this many records per key selected. */
    private static final int INDEX_BELOW_RECORDS_PER_KEY = 4;

    /** A read joins the last chunk while that holds fewer entries than this. */
    private static final int JOIN_BELOW = 256;

    private final long maxBytesPerPartition;
    private final long idleMillis;
    private final Map<Integer, ArrayDeque<Chunk>> partitions = new HashMap<>();
    private final Map<Integer, Long> bytes = new HashMap<>();
    private long lastUse;

    /** @param maxBytes for all partitions together; 0 keeps nothing */
    public ReplayWindow(long maxBytes, int partitionCount, long idleMillis) {
        this.maxBytesPerPartition = maxBytes / Math.max(1, partitionCount);
        this.idleMillis = idleMillis;
    }

    /** The largest read worth keeping for one partition: a chunk must fit alone. */
    long maxBytesPerPartition() {
        return maxBytesPerPartition;
    }

    /**
     * What the window holds of {@code partition}, leaving out the chunks that end at or before {@code from}. When
     * it holds nothing, the view is {@code [from, from)}: everything must come from Kafka.
     */
    synchronized View view(int partition, long from, long now) {
        lastUse = now;
        ArrayDeque<Chunk> chunks = partitions.get(partition);
        if (chunks == null || chunks.isEmpty()) {
            return new View(from, from, List.of());
        }
        List<Chunk> held = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.to() > from) {
                held.add(c);
            }
        }
        return new View(chunks.getFirst().from(), chunks.getLast().to(), held);
    }

    /**
     * Keeps what a read from Kafka found: it joins the window when it ends where the window starts (if it fits) or
     * goes on past its end, and replaces the window when it covers it or starts after a gap.
     */
    synchronized void add(int partition, Chunk read, long now) {
        lastUse = now;
        if (maxBytesPerPartition == 0 || read.bytes() > maxBytesPerPartition || read.to() <= read.from()) {
            return; // turned off (even a read without records is kept: it says there is nothing to read there)
        }
        ArrayDeque<Chunk> chunks = partitions.computeIfAbsent(partition, p -> new ArrayDeque<>());
        if (!chunks.isEmpty()) {
            long start = chunks.getFirst().from();
            long end = chunks.getLast().to();
            if (read.to() == start) {
                long held = bytes.get(partition);
                if (held + read.bytes() <= maxBytesPerPartition) { // just before the window: older, kept if it fits
                    chunks.addFirst(read);
                    bytes.put(partition, held + read.bytes());
                }
                return;
            }
            if (read.to() <= end) {
                return; // nothing newer than the window holds: keep the newer records
            }
            if (read.from() <= start || read.from() > end) {
                chunks.clear(); // a read that covers the window and more, or a newer one after a gap: start over
                bytes.put(partition, 0L);
            } else if (read.from() < end) {
                read = read.startingAt(end); // it extends the window: keep what is new
            }
        }
        long held = bytes.merge(partition, read.bytes(), Long::sum);
        Chunk last = chunks.peekLast();
        if (last != null && (last.entries().size() < JOIN_BELOW || read.entries().isEmpty())
                && last.bytes() + read.bytes() <= maxBytesPerPartition) {
            // A storm's later reads are short tails: join them, so the window stays a few chunks, not thousands.
            chunks.removeLast();
            read = last.join(read);
        }
        chunks.addLast(read);
        while (held > maxBytesPerPartition) {
            held -= chunks.removeFirst().bytes();
        }
        bytes.put(partition, held);
    }

    /** Empties the window when no replay used it for a while, so a storm's records do not stay for good. */
    synchronized void expire(long now) {
        if (!partitions.isEmpty() && now - lastUse > idleMillis) {
            partitions.clear();
            bytes.clear();
        }
    }

    synchronized long bytes() {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }
}
