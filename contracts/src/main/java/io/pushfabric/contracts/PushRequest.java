package io.pushfabric.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a producer asks for: deliver {@code payload} to every session of {@code user}, to every session
 * subscribed to {@code channel}, or to every connected session when both are null (broadcast).
 *
 * @param user      the target user, or null for a channel or a broadcast
 * @param payload   any JSON value, handed to the client byte for byte as the producer wrote it
 * @param messageId optional producer id; repeats within the dedupe window are delivered once
 * @param createdAt optional creation time (epoch millis), used for latency metrics
 * @param expiresAt optional expiry (epoch millis); an expired message is neither delivered nor replayed
 * @param channel   the target channel, or null for a user or a broadcast
 * @param receipt   the producer asks for receipts on {@code push-receipts} (docs/protocol.md, Receipts)
 */
public record PushRequest(UserId user, RawJson payload, String messageId, Long createdAt, Long expiresAt,
                          ChannelName channel, boolean receipt) {
    public static final int VERSION = 1;
    public static final int MAX_MESSAGE_ID_LENGTH = 256;

    public PushRequest {
        Objects.requireNonNull(payload, "payload");
        if (user != null && channel != null) {
            throw new IllegalArgumentException("a request targets a user or a channel, not both");
        }
        if (messageId != null && (messageId.isEmpty() || messageId.length() > MAX_MESSAGE_ID_LENGTH)) {
            throw new IllegalArgumentException("messageId must be 1-" + MAX_MESSAGE_ID_LENGTH + " characters");
        }
        if (createdAt != null && createdAt < 0) {
            throw new IllegalArgumentException("createdAt must be >= 0, was " + createdAt);
        }
        if (expiresAt != null && expiresAt < 0) {
            throw new IllegalArgumentException("expiresAt must be >= 0, was " + expiresAt);
        }
    }

    /** A request to a user or a broadcast ({@code user} null), without receipts, with a payload tree. */
    public PushRequest(UserId user, JsonNode payload, String messageId, Long createdAt, Long expiresAt) {
        this(user, RawJson.of(payload), messageId, createdAt, expiresAt, null, false);
    }

    /** A request to a user, a channel or a broadcast, without receipts, with a payload tree. */
    public PushRequest(UserId user, JsonNode payload, String messageId, Long createdAt, Long expiresAt,
                       ChannelName channel) {
        this(user, RawJson.of(payload), messageId, createdAt, expiresAt, channel, false);
    }

    /** A request to a user or a broadcast ({@code user} null), with a payload tree. */
    public PushRequest(UserId user, JsonNode payload, String messageId, Long createdAt, Long expiresAt,
                       boolean receipt) {
        this(user, RawJson.of(payload), messageId, createdAt, expiresAt, null, receipt);
    }

    public static PushRequest toUser(UserId user, JsonNode payload) {
        return toUser(user, RawJson.of(payload));
    }

    public static PushRequest toUser(UserId user, RawJson payload) {
        return new PushRequest(Objects.requireNonNull(user, "user"), payload, null, null, null, null, false);
    }

    public static PushRequest broadcast(JsonNode payload) {
        return broadcast(RawJson.of(payload));
    }

    public static PushRequest broadcast(RawJson payload) {
        return new PushRequest(null, payload, null, null, null, null, false);
    }

    public static PushRequest toChannel(ChannelName channel, JsonNode payload) {
        return toChannel(channel, RawJson.of(payload));
    }

    public static PushRequest toChannel(ChannelName channel, RawJson payload) {
        return new PushRequest(null, payload, null, null, null, Objects.requireNonNull(channel, "channel"), false);
    }

    public boolean isBroadcast() {
        return user == null && channel == null;
    }

    public boolean isChannel() {
        return channel != null;
    }

    public boolean isExpiredAt(long nowMillis) {
        return expiresAt != null && expiresAt <= nowMillis;
    }

    public PushRequest withMessageId(String id) {
        return new PushRequest(user, payload, id, createdAt, expiresAt, channel, receipt);
    }

    public PushRequest withCreatedAt(long millis) {
        return new PushRequest(user, payload, messageId, millis, expiresAt, channel, receipt);
    }

    public PushRequest withExpiresAt(long millis) {
        return new PushRequest(user, payload, messageId, createdAt, millis, channel, receipt);
    }

    /** The same request with receipts asked for (or not). */
    public PushRequest withReceipt(boolean on) {
        return new PushRequest(user, payload, messageId, createdAt, expiresAt, channel, on);
    }
}
