package io.pushfabric.loadtest.client;

import java.net.InetAddress;
import java.net.URI;

/**
 * A non-blocking WebSocket client library, seen from the load generator: start an upgrade and hear back
 * on the listener. One transport serves every client of a run.
 */
public interface WsTransport extends AutoCloseable {

    /**
     * Starts connecting; returns at once. Exactly one of {@link WsListener#onOpen} and
     * {@link WsListener#onConnectFailed} follows, and after onOpen exactly one {@link WsListener#onClosed}.
     *
     * @param bindAddress local source address, or null for the system's choice
     * @return a way to give up on the connect while it is pending (it then fails with onConnectFailed)
     */
    Pending connect(URI uri, InetAddress bindAddress, WsListener listener);

    /** A connect in progress. */
    interface Pending {
        /** Gives up, unless the upgrade already finished. */
        void cancel();
    }

    /** Whether {@link #connect} honours a source address. */
    boolean canBind();

    String name();

    @Override
    void close();
}
