package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushfabric.contracts.InvalidPushRequestException.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PushRequestCodecTest {
    private final PushRequestCodec codec = new PushRequestCodec();

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes and expects a rejection; returns it for checks on reason and detail. */
    private static InvalidPushRequestException rejection(PushRequestCodec codec, String key, byte[] value) {
        InvalidPushRequestException e = catchThrowableOfType(InvalidPushRequestException.class,
                () -> codec.decode(key, value));
        assertThat(e).as("decode of %s should be rejected", value == null ? "null" : new String(value,
                StandardCharsets.UTF_8)).isNotNull();
        return e;
    }

    private InvalidPushRequestException rejection(String key, String value) {
        return rejection(codec, key, bytes(value));
    }

    @Nested
    class RoundTrip {
        @Test
        void userRequestWithEveryOptionalFieldSurvivesEncodeAndDecode() throws Exception {
            PushRequest request = new PushRequest(UserId.of("alice"), json("{\"text\":\"hi\",\"n\":[1,2,{\"x\":null}]}"),
                    "m-1", 1_764_000_000_000L, 1_764_000_060_000L);

            PushRequest decoded = codec.decode("alice", codec.encode(request));

            assertThat(decoded).isEqualTo(request);
        }

        @Test
        void broadcastRequestWithEveryOptionalFieldSurvivesEncodeAndDecode() throws Exception {
            PushRequest request = new PushRequest(null, json("\"to everyone\""), "b-7", 5L, 10L);

            PushRequest decoded = codec.decode(RoutingKeys.BROADCAST, codec.encode(request));

            assertThat(decoded).isEqualTo(request);
            assertThat(decoded.isBroadcast()).isTrue();
        }

        @Test
        void minimalRequestDecodesWithAbsentOptionalsAsNull() throws Exception {
            PushRequest decoded = codec.decode("bob", bytes("{\"v\":1,\"user\":\"bob\",\"payload\":42}"));

            assertThat(decoded).isEqualTo(PushRequest.toUser(UserId.of("bob"), json("42")));
        }

        @Test
        void encodedFormIsTheDocumentedVersionOneObject() {
            JsonNode encoded = json(new String(codec.encode(PushRequest.broadcast(json("{}"))), StandardCharsets.UTF_8));

            assertThat(encoded.path("v").asInt()).isEqualTo(1);
            assertThat(encoded.path("broadcast").asBoolean()).isTrue();
            assertThat(encoded.has("user")).isFalse();
        }

        @Test
        void unknownFieldsAreIgnored() throws Exception {
            PushRequest decoded = codec.decode("alice", bytes(
                    "{\"v\":1,\"user\":\"alice\",\"priority\":\"high\",\"meta\":{\"a\":[1]},\"payload\":{\"k\":1}}"));

            assertThat(decoded).isEqualTo(PushRequest.toUser(UserId.of("alice"), json("{\"k\":1}")));
        }

        @Test
        void broadcastFalseAlongsideUserIsAUserRequest() throws Exception {
            PushRequest decoded = codec.decode("alice",
                    bytes("{\"v\":1,\"user\":\"alice\",\"broadcast\":false,\"payload\":1}"));

            assertThat(decoded.user()).isEqualTo(UserId.of("alice"));
        }
    }

    @Nested
    class NotJson {
        @Test
        void garbageIsNotJson() {
            InvalidPushRequestException e = rejection("alice", "{this is not json");

            assertThat(e.reason()).isEqualTo(Reason.NOT_JSON);
            assertThat(e.detail()).isNotBlank();
        }

        @Test
        void emptyValueIsNotJson() {
            InvalidPushRequestException e = rejection(codec, "alice", new byte[0]);

            assertThat(e.reason()).isEqualTo(Reason.NOT_JSON);
            assertThat(e.detail()).isEqualTo("empty record value");
        }

        @Test
        void nullValueIsNotJson() {
            assertThat(rejection(codec, "alice", null).reason()).isEqualTo(Reason.NOT_JSON);
        }

        @Test
        void trailingTokensAreNotJson() {
            assertThat(rejection("alice", "{\"v\":1,\"user\":\"alice\",\"payload\":1} {}").reason())
                    .isEqualTo(Reason.NOT_JSON);
        }
    }

    @Nested
    class BadSchema {
        private void assertBadSchema(String value, String detailFragment) {
            InvalidPushRequestException e = rejection("alice", value);
            assertThat(e.reason()).isEqualTo(Reason.BAD_SCHEMA);
            assertThat(e.detail()).contains(detailFragment);
            assertThat(e.getMessage()).startsWith("BAD_SCHEMA: ");
        }

        @Test
        void jsonThatIsNotAnObjectIsRejected() {
            assertBadSchema("[1,2,3]", "must be a JSON object");
        }

        @Test
        void missingVersionIsRejected() {
            assertBadSchema("{\"user\":\"alice\",\"payload\":1}", "'v'");
        }

        @Test
        void nonIntegerVersionIsRejected() {
            assertBadSchema("{\"v\":\"1\",\"user\":\"alice\",\"payload\":1}", "'v'");
        }

        @Test
        void missingPayloadIsRejected() {
            assertBadSchema("{\"v\":1,\"user\":\"alice\"}", "'payload' is required");
        }

        @Test
        void bothUserAndBroadcastAreRejected() {
            assertBadSchema("{\"v\":1,\"user\":\"alice\",\"broadcast\":true,\"payload\":1}",
                    "exactly one of 'user', 'broadcast':true and 'channel'");
        }

        @Test
        void neitherUserNorBroadcastIsRejected() {
            assertBadSchema("{\"v\":1,\"payload\":1}", "exactly one of 'user', 'broadcast':true and 'channel'");
        }

        @Test
        void nonBooleanBroadcastIsRejected() {
            assertBadSchema("{\"v\":1,\"broadcast\":\"yes\",\"payload\":1}", "'broadcast' must be a boolean");
        }

        @Test
        void userThatIsNotAStringIsRejected() {
            assertBadSchema("{\"v\":1,\"user\":42,\"payload\":1}", "'user' must be a string");
        }

        @Test
        void reservedBroadcastUserIdIsRejected() {
            InvalidPushRequestException e = rejection("*", "{\"v\":1,\"user\":\"*\",\"payload\":1}");

            assertThat(e.reason()).isEqualTo(Reason.BAD_SCHEMA);
            assertThat(e.detail()).contains("reserved for broadcast");
        }

        @Test
        void negativeCreatedAtIsRejected() {
            assertBadSchema("{\"v\":1,\"user\":\"alice\",\"createdAt\":-1,\"payload\":1}",
                    "'createdAt' must be a non-negative integer");
        }

        @Test
        void fractionalExpiresAtIsRejected() {
            assertBadSchema("{\"v\":1,\"user\":\"alice\",\"expiresAt\":1.5,\"payload\":1}",
                    "'expiresAt' must be a non-negative integer");
        }

        @Test
        void nonStringMessageIdIsRejected() {
            assertBadSchema("{\"v\":1,\"user\":\"alice\",\"messageId\":7,\"payload\":1}", "'messageId' must be a string");
        }

        @Test
        void messageIdLongerThanTheLimitIsRejected() {
            String id = "m".repeat(PushRequest.MAX_MESSAGE_ID_LENGTH + 1);

            assertBadSchema("{\"v\":1,\"user\":\"alice\",\"messageId\":\"" + id + "\",\"payload\":1}",
                    "messageId must be 1-" + PushRequest.MAX_MESSAGE_ID_LENGTH + " characters");
        }

        @Test
        void messageIdAtTheLimitIsAccepted() throws Exception {
            String id = "m".repeat(PushRequest.MAX_MESSAGE_ID_LENGTH);

            PushRequest decoded = codec.decode("alice",
                    bytes("{\"v\":1,\"user\":\"alice\",\"messageId\":\"" + id + "\",\"payload\":1}"));

            assertThat(decoded.messageId()).isEqualTo(id);
        }
    }

    @Nested
    class UnsupportedVersion {
        @Test
        void versionTwoIsUnsupportedAndNamed() {
            InvalidPushRequestException e = rejection("alice", "{\"v\":2,\"user\":\"alice\",\"payload\":1}");

            assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
            assertThat(e.detail()).contains("version 2").contains("supported: 1");
        }

        @Test
        void versionThatTruncatesToOneIsStillUnsupported() {
            InvalidPushRequestException e = rejection("alice", "{\"v\":4294967297,\"user\":\"alice\",\"payload\":1}");

            assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
        }
    }

    @Nested
    class KeyMismatch {
        private static final String ALICE = "{\"v\":1,\"user\":\"alice\",\"payload\":1}";

        @Test
        void nullKeyIsRejected() {
            InvalidPushRequestException e = rejection(null, ALICE);

            assertThat(e.reason()).isEqualTo(Reason.KEY_MISMATCH);
            assertThat(e.detail()).isEqualTo("record key null must equal the routing key 'alice'");
        }

        @Test
        void anotherUsersKeyIsRejected() {
            InvalidPushRequestException e = rejection("bob", ALICE);

            assertThat(e.reason()).isEqualTo(Reason.KEY_MISMATCH);
            assertThat(e.detail()).contains("'bob'").contains("'alice'");
        }

        @Test
        void broadcastKeyOnAUserMessageIsRejected() {
            InvalidPushRequestException e = rejection("*", ALICE);

            assertThat(e.reason()).isEqualTo(Reason.KEY_MISMATCH);
            assertThat(e.detail()).contains("'*'").contains("'alice'");
        }

        @Test
        void userKeyOnABroadcastIsRejected() {
            InvalidPushRequestException e = rejection("alice", "{\"v\":1,\"broadcast\":true,\"payload\":1}");

            assertThat(e.reason()).isEqualTo(Reason.KEY_MISMATCH);
            assertThat(e.detail()).contains("'*'");
        }
    }

    @Nested
    class PayloadTooLarge {
        private final PushRequestCodec small = new PushRequestCodec(100);

        @Test
        void payloadOverTheConfiguredLimitIsRejectedWithItsSize() {
            String payload = "\"" + "x".repeat(150) + "\"";

            InvalidPushRequestException e = rejection(small, "alice",
                    bytes("{\"v\":1,\"user\":\"alice\",\"payload\":" + payload + "}"));

            assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
            assertThat(e.detail()).isEqualTo("payload of 152 bytes exceeds the limit of 100 bytes");
        }

        @Test
        void payloadAtTheLimitIsAccepted() throws Exception {
            String payload = "\"" + "x".repeat(98) + "\"";

            PushRequest decoded = small.decode("alice", bytes("{\"v\":1,\"user\":\"alice\",\"payload\":" + payload + "}"));

            assertThat(decoded.payload().tree().textValue()).hasSize(98);
        }

        @Test
        void hugeRecordIsRejectedBeforeItIsParsed() {
            byte[] huge = bytes("x".repeat(100 + 4096 + 1));

            InvalidPushRequestException e = rejection(small, "alice", huge);

            // Not NOT_JSON: the size check comes first, so nothing is parsed.
            assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
            assertThat(e.detail()).contains("record of 4197 bytes").contains("100 bytes");
        }

        @Test
        void limitMustBePositive() {
            assertThatThrownBy(() -> new PushRequestCodec(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxPayloadBytes must be > 0, was 0");
        }
    }

    @Nested
    class WithoutARecordKey {
        @Test
        void decodeValueAppliesEveryRuleButTheKey() throws Exception {
            PushRequest decoded = codec.decodeValue(bytes("{\"v\":1,\"user\":\"bob\",\"payload\":42}"));

            assertThat(decoded).isEqualTo(PushRequest.toUser(UserId.of("bob"), json("42")));
            InvalidPushRequestException e = catchThrowableOfType(InvalidPushRequestException.class,
                    () -> codec.decodeValue(bytes("{\"v\":1,\"payload\":42}")));
            assertThat(e.reason()).isEqualTo(Reason.BAD_SCHEMA);
        }
    }
}
