package io.pushfabric.loadtest.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pushfabric.contracts.Json;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.io.IOException;

/**
 * Reads server frames. Push frames, which come by the hundred thousand per second, are read with Jackson's
 * streaming parser for just the fields the ledger needs; every other frame goes through the protocol's own
 * {@link FrameCodec}.
 */
final class FrameReader {
    private static final JsonFactory JSON = Json.MAPPER.getFactory();
    private final FrameCodec codec = new FrameCodec();

    /** What a frame was. */
    sealed interface Frame {
    }

    /**
     * A push: its position, whether it came through a channel, and our payload fields ({@code g} targeted
     * number, {@code b} broadcast number or {@code c} channel message number, -1 when absent; {@code ph}
     * phase; {@code t} scheduled creation time in epoch µs, else createdAt·1000).
     */
    record Push(int partition, long offset, boolean channel, int g, int b, int c, int phase, long createdMicros)
            implements Frame {
    }

    /** A subscription confirmed. */
    record Subscribed(String channel) implements Frame {
    }

    record Welcome(ServerFrame.Welcome frame) implements Frame {
    }

    record Other(String type) implements Frame {
    }

    Frame read(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !"type".equals(p.currentName())) {
                return decoded(text);
            }
            p.nextToken();
            String type = p.getText();
            if (!"push".equals(type)) {
                return decoded(text);
            }
            return push(p);
        } catch (IOException | RuntimeException e) {
            return new Other("unreadable");
        }
    }

    private Frame decoded(String text) {
        ServerFrame frame = codec.decodeServer(text);
        if (frame instanceof ServerFrame.Welcome w) {
            return new Welcome(w);
        }
        if (frame instanceof ServerFrame.Subscribed s) {
            return new Subscribed(s.channel().value());
        }
        return new Other(frame.getClass().getSimpleName().toLowerCase());
    }

    private static Push push(JsonParser p) throws IOException {
        int partition = -1;
        long offset = -1;
        long createdAt = -1;
        int g = -1;
        int b = -1;
        int c = -1;
        boolean channel = false;
        int phase = 0;
        long t = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "partition" -> partition = p.getIntValue();
                case "offset" -> offset = p.getLongValue();
                case "createdAt" -> createdAt = p.getLongValue();
                case "channel" -> channel = true;
                case "payload" -> {
                    if (value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        switch (name) {
                            case "g" -> g = p.getIntValue();
                            case "b" -> b = p.getIntValue();
                            case "c" -> c = p.getIntValue();
                            case "ph" -> phase = p.getIntValue();
                            case "t" -> t = p.getLongValue();
                            default -> p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Push(partition, offset, channel, g, b, c, phase, t >= 0 ? t : createdAt * 1000);
    }
}
