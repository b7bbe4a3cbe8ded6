package io.pushfabric.contracts.frames;

import io.pushfabric.contracts.ChannelName;
import io.pushfabric.contracts.Cursor;
import io.pushfabric.contracts.MessagePosition;
import io.pushfabric.contracts.NodeId;
import io.pushfabric.contracts.PushRequest;
import io.pushfabric.contracts.UserId;

/** A text frame the server sends to a client. The JSON forms are in {@code docs/protocol.md}. */
public sealed interface ServerFrame {

    /**
     * First frame of every session. {@code cursor} is where the client stands now; every message
     * appended to {@code push-requests} after it will be delivered while the session lasts.
     *
     * @param recovered true when the connect carried no cursor or every missed message follows;
     *                  false when the client must resync from its backend (see {@code reason})
     * @param reason    why recovery failed, or null
     * @param replayed  how many missed messages follow this frame, before any live one
     */
    record Welcome(String session, NodeId node, UserId user, boolean recovered, String reason,
                   int replayed, Cursor cursor) implements ServerFrame {
    }

    /** One message; {@code position} is its id, the same on every node. */
    record Push(MessagePosition position, NodeId node, PushRequest request) implements ServerFrame {
    }

    /** Something the client sent was wrong; the session stays open. */
    record Error(String code, String message) implements ServerFrame {
    }

    /** The node is going away: reconnect (with the cursor) after {@code afterMillis}. */
    record Reconnect(long afterMillis, String reason) implements ServerFrame {
    }

    /** Answer to a refresh frame whose token was accepted: the session now lasts until {@code validUntil}. */
    record Refreshed(long validUntil) implements ServerFrame {
    }

    /** Answer to a client ping frame. */
    record Pong() implements ServerFrame {
    }

    /**
     * A subscription is confirmed; {@code replayed} replayed pushes of the channel follow, then live ones.
     *
     * @param position where the client stands in the channel: a cursor with exactly the channel's partition
     */
    record Subscribed(ChannelName channel, boolean recovered, String reason, int replayed, Cursor position)
            implements ServerFrame {
    }

    /** The session left a channel; {@code reason} is null when the client asked, {@code server} otherwise. */
    record Unsubscribed(ChannelName channel, String reason) implements ServerFrame {
    }

    /** A subscribe or unsubscribe was refused ({@code code}) for {@code reason}; nothing else changed. */
    record ChannelRefused(String code, String channel, String reason, String message) implements ServerFrame {
    }
}
