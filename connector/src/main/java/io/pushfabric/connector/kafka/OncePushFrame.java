package io.pushfabric.connector.kafka;

import io.pushfabric.connector.session.EncodedFrame;
import io.pushfabric.contracts.Delivery;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import java.util.function.Supplier;

/**
 * The push frame of one delivery, rendered and encoded to UTF-8 once, on first use, for every session that gets
 * it: a broadcast to thousands of sockets costs one encoding, not one per socket. The payload's bytes are copied
 * into the frame as they came off the node topic. Used from the node topic's consumer thread; a frame that
 * sessions buffered is read later from other threads, hence the volatile.
 */
final class OncePushFrame implements Supplier<EncodedFrame> {
    private final Delivery delivery;
    private final NodeId node;
    private final FrameCodec frames;
    private volatile EncodedFrame encoded;

    OncePushFrame(Delivery delivery, NodeId node, FrameCodec frames) {
        this.delivery = delivery;
        this.node = node;
        this.frames = frames;
    }

    @Override
    public EncodedFrame get() {
        EncodedFrame e = encoded;
        if (e == null) {
            e = EncodedFrame.ofUtf8(frames.encodeUtf8(new ServerFrame.Push(delivery.position(), node, delivery.request())));
            encoded = e;
        }
        return e;
    }
}
