package io.pushfabric.contracts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The payload is copied in as the producer's bytes ({@link RawJson}) and read back out as a slice of the record.
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + r.payload().size());
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
        return decode(parse(value, null));
    }

    /**
     * The deliveries of one node-topic record, in order: one for a version-1 record, each one of a version-2
     * batch. A delivery of a batch that cannot be read is left out and told to {@code unreadable} (with its index
     * and why), so its neighbours still arrive. The record is read in one streaming pass and no payload is parsed
     * into a tree: each stays the bytes the dispatcher copied in.
     *
     * @throws IllegalArgumentException when the record as a whole is neither a version-1 delivery nor a batch
     */
    public List<Delivery> decodeRecord(byte[] value, Consumer<String> unreadable) {
        BatchEntries batch = new BatchEntries(value);
        StreamedObject root = parse(value, batch);
        if (root == null || root.fields().path("v").asInt() != 2) {
            return List.of(decode(root));
        }
        if (batch.entries == null) {
            throw new IllegalArgumentException("delivery batch has no deliveries array");
        }
        List<Delivery> deliveries = new ArrayList<>(batch.entries.size());
        for (int i = 0; i < batch.entries.size(); i++) {
            try {
                deliveries.add(decode(batch.entries.get(i)));
            } catch (IllegalArgumentException e) {
                unreadable.accept("delivery " + i + " of " + batch.entries.size() + " in the batch: " + e.getMessage());
            }
        }
        return deliveries;
    }

    /**
     * The record's top-level object, or null when it is JSON but no object.
     *
     * @param batch reads the {@code deliveries} array of a batch as it streams by; null for a single delivery
     */
    private static StreamedObject parse(byte[] value, BatchEntries batch) {
        try (JsonParser p = Json.NODE_RECORDS.createParser(value)) {
            JsonToken first = p.nextToken();
            if (first != null && !StreamedObject.isUtf8(p)) {
                throw new IllegalArgumentException("delivery is not UTF-8");
            }
            StreamedObject root = null;
            if (first == JsonToken.START_OBJECT) {
                root = StreamedObject.read(p, value, batch == null ? StreamedObject.NestedValue.NONE : batch);
            } else {
                p.skipChildren();
            }
            if (first != null && p.nextToken() != null) {
                throw new IllegalArgumentException("delivery is not JSON: trailing token " + p.currentToken());
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("delivery is not JSON: " + e.getMessage(), e);
        }
    }

    /** The entries of a batch's {@code deliveries} array, each an object (or null when it is not one). */
    private static final class BatchEntries implements StreamedObject.NestedValue {
        private final byte[] source;
        private List<StreamedObject> entries;

        BatchEntries(byte[] source) {
            this.source = source;
        }

        @Override
        public boolean read(String field, JsonParser p) throws IOException {
            if (!field.equals("deliveries") || p.currentToken() != JsonToken.START_ARRAY) {
                return false;
            }
            entries = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.START_OBJECT) {
                    entries.add(StreamedObject.read(p, source, StreamedObject.NestedValue.NONE));
                } else {
                    p.skipChildren();
                    entries.add(null);
                }
            }
            return true;
        }
    }

    private Delivery decode(StreamedObject delivery) {
        if (delivery == null || delivery.fields().path("v").asInt() != 1) {
            throw new IllegalArgumentException("delivery is not a version-1 object");
        }
        ObjectNode root = delivery.fields();
        MessagePosition position = new MessagePosition(root.path("partition").asInt(-1), root.path("offset").asLong(-1));
        JsonNode user = root.get("user");
        UserId userId = user == null || user.isNull() ? null : new UserId(user.asText());
        JsonNode channel = root.get("channel");
        ChannelName channelName = channel == null || channel.isNull() ? null : new ChannelName(channel.asText());
        if (userId == null && channelName == null && !root.path("broadcast").asBoolean(false)) {
            throw new IllegalArgumentException("delivery has neither user, channel nor broadcast");
        }
        RawJson payload = delivery.payload();
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
