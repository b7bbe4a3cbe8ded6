package io.pushfabric.contracts;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a client is in {@code push-requests}: the topic's identity and, for each partition that can
 * hold messages for it, the next offset it has not seen. Text form, sent as the {@code cursor} query
 * parameter on reconnect: {@code <topicId>,<partition>:<nextOffset>[,<partition>:<nextOffset>...]},
 * for example {@code 8Zx1qv3ZRtu0n7S8hZ1r2A,3:121,0:58}.
 *
 * <p>A client builds it from the welcome frame ({@code topic} and {@code positions}) and moves it on with
 * every push frame: {@code positions[partition] = offset + 1}.
 */
public record Cursor(String topicId, Map<Integer, Long> positions) {
    private static final Pattern TOPIC_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public Cursor {
        Objects.requireNonNull(topicId, "topicId");
        if (!TOPIC_ID.matcher(topicId).matches()) {
            // Kafka writes topic ids in URL-safe base64: anything else was never a cursor we handed out.
            throw new IllegalArgumentException("topic id must be 1-64 characters of A-Z a-z 0-9 '-' '_'");
        }
        TreeMap<Integer, Long> copy = new TreeMap<>();
        for (Map.Entry<Integer, Long> e : positions.entrySet()) {
            if (e.getKey() < 0 || e.getValue() < 0) {
                throw new IllegalArgumentException("negative partition or offset in cursor: " + e);
            }
            copy.put(e.getKey(), e.getValue());
        }
        positions = Collections.unmodifiableMap(copy);
    }

    public Cursor with(int partition, long nextOffset) {
        TreeMap<Integer, Long> copy = new TreeMap<>(positions);
        copy.put(partition, nextOffset);
        return new Cursor(topicId, copy);
    }

    /** The cursor after the client has seen the message at {@code position}. */
    public Cursor after(MessagePosition position) {
        Long current = positions.get(position.partition());
        if (current != null && current > position.offset()) {
            return this;
        }
        return with(position.partition(), position.offset() + 1);
    }

    public String format() {
        StringBuilder sb = new StringBuilder(topicId);
        positions.forEach((p, o) -> sb.append(',').append(p).append(':').append(o));
        return sb.toString();
    }

    /** @throws IllegalArgumentException naming what is wrong with the text */
    public static Cursor parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty cursor");
        }
        if (text.length() > 4096) {
            throw new IllegalArgumentException("cursor longer than 4096 characters");
        }
        String[] parts = text.split(",", -1);
        Map<Integer, Long> positions = new TreeMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] po = parts[i].split(":", -1);
            if (po.length != 2) {
                throw new IllegalArgumentException("cursor entry '" + parts[i] + "' is not <partition>:<offset>");
            }
            try {
                positions.put(Integer.parseInt(po[0]), Long.parseLong(po[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor entry '" + parts[i] + "' is not numeric");
            }
        }
        return new Cursor(parts[0], positions);
    }

    @Override
    public String toString() {
        return format();
    }
}
