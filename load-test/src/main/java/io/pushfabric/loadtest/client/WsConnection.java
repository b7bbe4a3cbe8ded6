package io.pushfabric.loadtest.client;

/** One open WebSocket. */
public interface WsConnection {
    /** Sends a normal close frame. */
    void close();

    /** Drops the TCP connection without a close frame. */
    void abort();
}
