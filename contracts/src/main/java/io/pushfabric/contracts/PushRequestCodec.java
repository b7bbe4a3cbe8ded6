package io.pushfabric.contracts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushfabric.contracts.InvalidPushRequestException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON form of a push request on {@code push-requests} (version 1):
 * <pre>{"v":1,"user":"alice","payload":{...},"messageId":"m-1","createdAt":1764000000000,"expiresAt":1764000060000}
 * {"v":1,"broadcast":true,"payload":{...}}
 * {"v":1,"channel":"chat:lobby","payload":{...}}</pre>
 * Exactly one of {@code user}, {@code broadcast:true} and {@code channel}; unknown fields are ignored.
 */
public final class PushRequestCodec {
    /** Default limit of the payload's bytes as produced, 64 KiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

    private final int maxPayloadBytes;

    public PushRequestCodec(int maxPayloadBytes) {
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be > 0, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public PushRequestCodec() {
        this(DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public byte[] encode(PushRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + request.payload().size());
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", PushRequest.VERSION);
            PushRequestJson.writeFields(g, request, true);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Parses and checks one record of {@code push-requests}.
     *
     * @param key   the record key, which must equal the request's routing key
     * @param value the record value
     */
    public PushRequest decode(String key, byte[] value) throws InvalidPushRequestException {
        PushRequest request = decodeValue(value);
        String expectedKey = RoutingKeys.of(request);
        if (!expectedKey.equals(key)) {
            throw new InvalidPushRequestException(Reason.KEY_MISMATCH,
                    "record key " + (key == null ? "null" : "'" + key + "'") + " must equal the routing key '"
                            + expectedKey + "'");
        }
        return request;
    }

    /**
     * Parses and checks a request by every rule of {@link #decode} except the record key, for a request that
     * has no record yet (the HTTP publish API): its key is then {@link RoutingKeys#of} the result.
     */
    public PushRequest decodeValue(byte[] value) throws InvalidPushRequestException {
        return decodeValue(value, true);
    }

    /**
     * Like {@link #decodeValue(byte[])}, except that {@code "v"} may be left out and then means the current version:
     * for a request written to the HTTP API, which stamps the version itself.
     */
    public PushRequest decodePublished(byte[] value) throws InvalidPushRequestException {
        return decodeValue(value, false);
    }

    private PushRequest decodeValue(byte[] value, boolean versionRequired) throws InvalidPushRequestException {
        if (value == null || value.length == 0) {
            throw new InvalidPushRequestException(Reason.NOT_JSON, "empty record value");
        }
        if (value.length > maxPayloadBytes + 4096) {
            throw new InvalidPushRequestException(Reason.PAYLOAD_TOO_LARGE,
                    "record of " + value.length + " bytes exceeds the payload limit of " + maxPayloadBytes + " bytes");
        }
        StreamedObject request = parse(value);
        ObjectNode obj = request.fields();
        JsonNode v = obj.get("v");
        if (v == null && !versionRequired) {
            v = IntNode.valueOf(PushRequest.VERSION);
        }
        if (v == null || !v.isIntegralNumber()) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, "field 'v' (version) must be an integer");
        }
        if (!v.canConvertToInt() || v.intValue() != PushRequest.VERSION) {
            throw new InvalidPushRequestException(Reason.UNSUPPORTED_VERSION,
                    "version " + v.asText() + " is not supported (supported: " + PushRequest.VERSION + ")");
        }
        ChannelName channel = parseChannel(obj);
        UserId user = parseTarget(obj, channel != null);
        RawJson payload = request.payload();
        if (payload == null) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, "field 'payload' is required");
        }
        String messageId = optionalText(obj, "messageId");
        Long createdAt = optionalMillis(obj, "createdAt");
        Long expiresAt = optionalMillis(obj, "expiresAt");
        boolean receipt = optionalFlag(obj, "receipt");
        if (payload.size() > maxPayloadBytes) {
            throw new InvalidPushRequestException(Reason.PAYLOAD_TOO_LARGE,
                    "payload of " + payload.size() + " bytes exceeds the limit of " + maxPayloadBytes + " bytes");
        }
        try {
            return new PushRequest(user, payload, messageId, createdAt, expiresAt, channel, receipt);
        } catch (IllegalArgumentException e) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, e.getMessage());
        }
    }

    /**
     * Reads the record with a streaming parser: the payload stays the bytes it was written as, everything else
     * becomes small nodes. Malformed JSON anywhere (the payload included) and anything past the request object
     * is NOT_JSON, as is a record in UTF-16 or UTF-32, whose bytes could not be handed on inside UTF-8 JSON.
     */
    private static StreamedObject parse(byte[] value) throws InvalidPushRequestException {
        try (JsonParser p = Json.MAPPER.createParser(value)) {
            JsonToken first = p.nextToken();
            if (first != null && !StreamedObject.isUtf8(p)) {
                throw new InvalidPushRequestException(Reason.NOT_JSON,
                        "record value is not UTF-8 (it reads as UTF-16 or UTF-32); push requests must be UTF-8 JSON");
            }
            StreamedObject request = null;
            if (first == JsonToken.START_OBJECT) {
                request = StreamedObject.read(p, value, StreamedObject.NestedValue.NONE);
            } else {
                p.skipChildren();
            }
            if (first != null && p.nextToken() != null) {
                throw new InvalidPushRequestException(Reason.NOT_JSON,
                        "trailing token (" + p.currentToken() + ") after the request object");
            }
            if (request == null) {
                throw new InvalidPushRequestException(Reason.BAD_SCHEMA, "request must be a JSON object");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new InvalidPushRequestException(Reason.NOT_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPushRequestException(Reason.NOT_JSON, e.getMessage());
        }
    }

    private static ChannelName parseChannel(ObjectNode obj) throws InvalidPushRequestException {
        JsonNode channel = obj.get("channel");
        if (channel == null || channel.isNull()) {
            return null;
        }
        if (!channel.isTextual()) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, "field 'channel' must be a string");
        }
        try {
            return new ChannelName(channel.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, e.getMessage());
        }
    }

    private static UserId parseTarget(ObjectNode obj, boolean hasChannel) throws InvalidPushRequestException {
        JsonNode user = obj.get("user");
        JsonNode broadcast = obj.get("broadcast");
        boolean isBroadcast = broadcast != null && broadcast.isBoolean() && broadcast.booleanValue();
        if (broadcast != null && !broadcast.isBoolean()) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, "field 'broadcast' must be a boolean");
        }
        boolean hasUser = user != null && !user.isNull();
        int targets = (hasUser ? 1 : 0) + (isBroadcast ? 1 : 0) + (hasChannel ? 1 : 0);
        if (targets != 1) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA,
                    "exactly one of 'user', 'broadcast':true and 'channel' is required");
        }
        if (!hasUser) {
            return null;
        }
        if (!user.isTextual()) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, "field 'user' must be a string");
        }
        try {
            return new UserId(user.textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, e.getMessage());
        }
    }

    private static String optionalText(ObjectNode obj, String field) throws InvalidPushRequestException {
        JsonNode node = obj.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, "field '" + field + "' must be a string");
        }
        return node.textValue();
    }

    private static boolean optionalFlag(ObjectNode obj, String field) throws InvalidPushRequestException {
        JsonNode node = obj.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA, "field '" + field + "' must be a boolean");
        }
        return node.booleanValue();
    }

    private static Long optionalMillis(ObjectNode obj, String field) throws InvalidPushRequestException {
        JsonNode node = obj.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new InvalidPushRequestException(Reason.BAD_SCHEMA,
                    "field '" + field + "' must be a non-negative integer (epoch millis)");
        }
        return node.longValue();
    }
}
