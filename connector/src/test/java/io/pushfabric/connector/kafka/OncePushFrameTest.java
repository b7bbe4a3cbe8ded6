package io.pushfabric.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.pushfabric.connector.session.EncodedFrame;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OncePushFrameTest {
    private static final NodeId NODE = NodeId.of("node-a");
    private final FrameCodec codec = new FrameCodec();
    private final Delivery broadcast = new Delivery(new MessagePosition(2, 41),
            PushRequest.broadcast(TextNode.valueOf("héllo ✓ 𝄞")));

    @Test
    void everySessionGetsTheSameFrameEncodedOnce() {
        OncePushFrame frame = new OncePushFrame(broadcast, NODE, codec);

        EncodedFrame first = frame.get();

        assertThat(frame.get()).isSameAs(first);
        assertThat(first.text()).isEqualTo(codec.encode(new ServerFrame.Push(broadcast.position(), NODE,
                broadcast.request())));
    }

    @Test
    void theBytesAreTheFramesUtf8AndEachRecipientReadsThemWhole() {
        EncodedFrame frame = new OncePushFrame(broadcast, NODE, codec).get();
        byte[] utf8 = codec.encode(new ServerFrame.Push(broadcast.position(), NODE, broadcast.request()))
                .getBytes(StandardCharsets.UTF_8);

        ByteBuffer one = frame.bytes();
        one.get(new byte[one.remaining()]); // one socket wrote it all
        ByteBuffer other = frame.bytes();

        assertThat(other.isReadOnly()).isTrue();
        byte[] read = new byte[other.remaining()];
        other.get(read);
        assertThat(read).isEqualTo(utf8);
    }
}
