package io.pushfabric.connector.http;

import io.pushfabric.connector.limits.FrameLimits;
import io.pushfabric.connector.session.ClientSession;
import io.pushfabric.contracts.CloseCodes;
import io.pushfabric.contracts.frames.BadFrameException;
import io.pushfabric.contracts.frames.ClientFrame;
import io.pushfabric.contracts.frames.FrameCodec;
import io.pushfabric.contracts.frames.ServerFrame;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketMessages;
import java.io.IOException;
import java.time.Clock;

/**
 * What a client may send: ping, refresh, subscribe, unsubscribe and ack frames. Anything else gets an error frame; the session stays. A text or
 * binary message above the size limit is cut off by Undertow as its bytes arrive (never buffered whole)
 * with close 1009; a connection sending frames faster than its budget is closed 1008. Every frame received
 * marks the connection alive for the idle check.
 */
final class ClientFrames extends AbstractReceiveListener {
    private final ClientSession session;
    private final UndertowSession socket;
    private final FrameCodec frames;
    private final FrameLimits limits;
    private final FrameLimits.Budget budget;
    private final RefreshFrames refreshes;
    private final ChannelFrames channels;
    private final String tooBigMessage;
    private final Clock clock;

    ClientFrames(ClientSession session, UndertowSession socket, FrameCodec frames, FrameLimits limits,
                 RefreshFrames refreshes, ChannelFrames channels, Clock clock) {
        this.session = session;
        this.refreshes = refreshes;
        this.channels = channels;
        this.socket = socket;
        this.clock = clock;
        this.frames = frames;
        this.limits = limits;
        this.budget = limits.forConnection();
        this.tooBigMessage = WebSocketMessages.MESSAGES.messageToBig(limits.maxFrameBytes());
    }

    /** Anything the peer sends, pongs included, shows it is alive (see {@link UndertowSession#isIdle}). */
    @Override
    public void handleEvent(WebSocketChannel channel) {
        socket.received(clock.millis());
        super.handleEvent(channel);
    }

    @Override
    protected long getMaxTextBufferSize() {
        return limits.maxFrameBytes();
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return limits.maxFrameBytes();
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        if (!withinBudget()) {
            return;
        }
        try {
            ClientFrame frame = frames.decodeClient(message.getData());
            if (frame instanceof ClientFrame.Ping) {
                session.sendControl(frames.encode(new ServerFrame.Pong()));
            } else if (frame instanceof ClientFrame.Refresh refresh) {
                if (refreshes.mayBlock()) {
                    channel.getWorker().execute(() -> session.sendControl(refreshes.answer(session, refresh.token())));
                } else {
                    session.sendControl(refreshes.answer(session, refresh.token()));
                }
            } else if (frame instanceof ClientFrame.Subscribe subscribe) {
                if (subscribe.token() != null && channels.mayBlock()) {
                    channel.getWorker().execute(() -> channels.subscribe(session, subscribe));
                } else {
                    channels.subscribe(session, subscribe);
                }
            } else if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
                channels.unsubscribe(session, unsubscribe);
            } else if (frame instanceof ClientFrame.Ack ack) {
                session.ack(ack.id()); // an unknown or repeated id is ignored: no answer either way
            }
        } catch (BadFrameException e) {
            session.sendControl(frames.encode(new ServerFrame.Error("bad_frame", e.getMessage())));
        }
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        if (withinBudget()) {
            session.sendControl(frames.encode(new ServerFrame.Error("bad_frame", "binary frames are not supported")));
        }
    }

    @Override
    protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        if (withinBudget()) {
            super.onFullPingMessage(channel, message);
        } else {
            message.getData().free();
        }
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        if (withinBudget()) {
            super.onFullPongMessage(channel, message);
        } else {
            message.getData().free();
        }
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        // Undertow has already sent close 1009 when a message outgrew the limit; this only counts it.
        if (error instanceof IOException && tooBigMessage.equals(error.getMessage())) {
            limits.tooBig();
        }
        super.onError(channel, error);
    }

    private boolean withinBudget() {
        if (budget.take()) {
            return true;
        }
        session.close(CloseCodes.POLICY_VIOLATION, "too many frames; slow down");
        return false;
    }
}
