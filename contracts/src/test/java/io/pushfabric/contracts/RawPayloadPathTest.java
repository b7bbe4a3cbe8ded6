package io.pushfabric.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushfabric.contracts.InvalidPushRequestException.Reason;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The payload travels as the producer's bytes: push-requests -> dispatcher -> node topic (single and batched) ->
 * connector -> push frame, with no re-serialisation on the way (docs/protocol.md, "The payload passes byte for byte").
 */
class RawPayloadPathTest {
    private static final NodeId NODE = NodeId.of("node-a");
    private static final String[] TARGETS = {
        "\"user\":\"alice\"", "\"channel\":\"chat:lobby\"", "\"broadcast\":true"};

    private final PushRequestCodec requests = new PushRequestCodec();
    private final DeliveryCodec deliveries = new DeliveryCodec();
    private final FrameCodec frames = new FrameCodec();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The push frame text a connector writes for the request, after the dispatcher's encode and batch. */
    private String frameThroughBothHops(String requestJson) throws Exception {
        PushRequest request = requests.decodeValue(utf8(requestJson));
        Delivery delivery = new Delivery(new MessagePosition(2, 40), request);
        byte[] batch = DeliveryCodec.batch(List.of(deliveries.encode(delivery), deliveries.encode(delivery)));
        List<Delivery> read = deliveries.decodeRecord(batch, unreadable -> {
            throw new AssertionError(unreadable);
        });
        assertThat(read).hasSize(2);
        assertThat(deliveries.decode(deliveries.encode(delivery))).isEqualTo(read.get(0));
        return frames.encode(new ServerFrame.Push(read.get(0).position(), NODE, read.get(0).request()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"n\":1.10}",
        "12345678901234567890123",
        "{ \"price\" : 1e2 , \"big\" : -123456789012345678901234567890.000 }",
        "[ \"caf\\u00e9\", \"café\", \"\uD83D\uDE00\", \"\\uD83D\\uDE00\", \"tab\\there\" ]",
        "\"just a string with \\\" and \\\\\"",
        "-0.0", "true", "null", "{}", "[ ]"})
    void payloadReachesTheClientFrameByteForByteForEveryTarget(String payload) throws Exception {
        for (String target : TARGETS) {
            String request = "{\"v\":1," + target + ",\"payload\": " + payload + " ,\"messageId\":\"m-1\"}";
            String frame = frameThroughBothHops(request);
            String replayed = frames.encode(new ServerFrame.Push(new MessagePosition(2, 40), NODE,
                    requests.decodeValue(utf8(request)))); // a replay reads push-requests itself

            assertThat(frame).as(target).endsWith(",\"payload\":" + payload + "}").isEqualTo(replayed);
            assertThat(Json.MAPPER.readTree(frame).get("payload")).isEqualTo(Json.MAPPER.readTree(payload));
            assertThat(Json.MAPPER.readTree(frame).get("id").asText()).isEqualTo("2-40");
        }
    }

    @Test
    void payloadIsCopiedFromBetweenTheOtherFieldsWhateverTheirOrder() throws Exception {
        PushRequest request = requests.decode("alice", utf8(
                "{\"payload\":{\"a\":[1,{\"b\":\"}\"}]},\"receipt\":true,\"user\":\"alice\",\"v\":1,\"createdAt\":5}"));

        assertThat(request.payload().toString()).isEqualTo("{\"a\":[1,{\"b\":\"}\"}]}");
        assertThat(request.receipt()).isTrue();
        assertThat(request.createdAt()).isEqualTo(5L);
    }

    @Test
    void aRepeatedFieldCountsAsItsLastValueAsInATree() throws Exception {
        PushRequest request = requests.decode("alice", utf8(
                "{\"v\":1,\"payload\":[1],\"user\":\"bob\",\"payload\":{\"last\":true},\"user\":\"alice\"}"));

        assertThat(request.payload().toString()).isEqualTo("{\"last\":true}");
        assertThat(request.user()).isEqualTo(UserId.of("alice"));
    }

    @Test
    void payloadLimitCountsTheBytesAsProduced() {
        PushRequestCodec small = new PushRequestCodec(20);
        String spacious = "{ \"a\" :   1 ,   \"b\" :   2 }"; // 27 bytes as produced, 13 compact

        InvalidPushRequestException e = catchThrowableOfType(InvalidPushRequestException.class,
                () -> small.decode("alice", utf8("{\"v\":1,\"user\":\"alice\",\"payload\":" + spacious + "}")));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
        assertThat(e.detail()).isEqualTo("payload of 27 bytes exceeds the limit of 20 bytes");
    }

    @Test
    void requestInUtf16IsRefusedAsNotJsonNamingTheEncoding() {
        for (var charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16)) {
            byte[] value = "{\"v\":1,\"user\":\"alice\",\"payload\":{\"text\":\"hi\"}}".getBytes(charset);

            InvalidPushRequestException e = catchThrowableOfType(InvalidPushRequestException.class,
                    () -> requests.decode("alice", value));

            assertThat(e).as(charset.name()).isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.NOT_JSON);
            assertThat(e.detail()).contains("not UTF-8");
        }
    }

    @Test
    void requestWithAUtf8ByteOrderMarkKeepsItsPayloadExact() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = utf8("{\"v\":1,\"user\":\"alice\",\"payload\":{\"x\":1.50}}");
        byte[] value = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, value, 0, bom.length);
        System.arraycopy(body, 0, value, bom.length, body.length);

        assertThat(requests.decode("alice", value).payload().toString()).isEqualTo("{\"x\":1.50}");
    }

    @Test
    void invalidUtf8InsideThePayloadIsNotJson() {
        byte[] value = utf8("{\"v\":1,\"user\":\"alice\",\"payload\":\"ab\"}");
        value[value.length - 4] = (byte) 0xC3; // a two-byte lead followed by 'b' is no UTF-8

        InvalidPushRequestException e = catchThrowableOfType(InvalidPushRequestException.class,
                () -> requests.decode("alice", value));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.NOT_JSON);
    }
}
