package io.pushfabric.contracts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The JSON form of a {@link Delivery} on a node topic (version 1):
 * <pre>{"v":1,"partition":3,"offset":120,"user":"alice","messageId":"m-1","createdAt":...,"expiresAt":...,"payload":{...}}</pre>
 * with {@code "broadcast":true} instead of {@code user} for a broadcast, {@code "channel":"chat:lobby"} for a
 * channel (one delivery per node, fanned out there to the node's subscribers). Written only by the dispatcher.
 * <p>
 * A node-topic record carries either one version-1 delivery (what dispatchers before batching write) or a
 * version-2 batch of them, in order: <pre>{"v":2,"deliveries":[{"v":1,...},{"v":1,...}]}</pre>
 * {@link #decodeRecord} reads both, told apart by {@code v}, so connectors that read batches can run beside
 * dispatchers that do not write them yet.
 */
public final class DeliveryCodec {
    private static final byte[] BATCH_START = "{\"v\":2,\"deliveries\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_END = "]}".getBytes(StandardCharsets.US_ASCII);

    /** The size of a version-2 record holding {@code count} encoded deliveries of {@code bytes} bytes in total. */
    public static long batchBytes(int count, long bytes) {
        return BATCH_START.length + BATCH_END.length + bytes + Math.max(0, count - 1);
    }

    /** A version-2 record of deliveries already {@linkplain #encode encoded}, in the given order. */
    public static byte[] batch(List<byte[]> encoded) {
        long total = 0;
        for (byte[] e : encoded) {
            total += e.length;
        }
        long size = batchBytes(encoded.size(), total);
        if (encoded.isEmpty() || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch holds 1 or more deliveries and fits an array, not "
                    + encoded.size() + " of " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.put(BATCH_START);
        for (int i = 0; i < encoded.size(); i++) {
            if (i > 0) {
                out.put((byte) ',');
            }
            out.put(encoded.get(i));
        }
        out.put(BATCH_END);
        return out.array();
    }

    public byte[] encode(Delivery delivery) {
        PushRequest r = delivery.request();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", 1);
            g.writeNumberField("partition", delivery.position().partition());
            g.writeNumberField("offset", delivery.position().offset());
            PushRequestJson.writeFields(g, r, true);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a version-1 delivery */
    public Delivery decode(byte[] value) {
        return decode(parse(value));
    }

    /**
     * The deliveries of one node-topic record, in order: one for a version-1 record, each one of a version-2
     * batch. A delivery of a batch that cannot be read is left out and told to {@code unreadable} (with its index
     * and why), so its neighbours still arrive.
     *
     * @throws IllegalArgumentException when the record as a whole is neither a version-1 delivery nor a batch
     */
    public List<Delivery> decodeRecord(byte[] value, Consumer<String> unreadable) {
        JsonNode root = parse(value);
        if (root == null || !root.isObject() || root.path("v").asInt() != 2) {
            return List.of(decode(root));
        }
        JsonNode entries = root.get("deliveries");
        if (entries == null || !entries.isArray()) {
            throw new IllegalArgumentException("delivery batch has no deliveries array");
        }
        List<Delivery> deliveries = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            try {
                deliveries.add(decode(entries.get(i)));
            } catch (IllegalArgumentException e) {
                unreadable.accept("delivery " + i + " of " + entries.size() + " in the batch: " + e.getMessage());
            }
        }
        return deliveries;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return Json.NODE_RECORDS.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("delivery is not JSON: " + e.getMessage(), e);
        }
    }

    private Delivery decode(JsonNode root) {
        if (root == null || !root.isObject() || root.path("v").asInt() != 1) {
            throw new IllegalArgumentException("delivery is not a version-1 object");
        }
        MessagePosition position = new MessagePosition(root.path("partition").asInt(-1), root.path("offset").asLong(-1));
        JsonNode user = root.get("user");
        UserId userId = user == null || user.isNull() ? null : new UserId(user.asText());
        JsonNode channel = root.get("channel");
        ChannelName channelName = channel == null || channel.isNull() ? null : new ChannelName(channel.asText());
        if (userId == null && channelName == null && !root.path("broadcast").asBoolean(false)) {
            throw new IllegalArgumentException("delivery has neither user, channel nor broadcast");
        }
        JsonNode payload = root.get("payload");
        if (payload == null) {
            throw new IllegalArgumentException("delivery has no payload");
        }
        return new Delivery(position, new PushRequest(userId, payload,
                textOrNull(root, "messageId"), longOrNull(root, "createdAt"), longOrNull(root, "expiresAt"),
                channelName, root.path("receipt").asBoolean(false)));
    }

    private static String textOrNull(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Long longOrNull(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n.asLong();
    }
}
