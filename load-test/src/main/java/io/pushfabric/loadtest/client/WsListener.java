package io.pushfabric.loadtest.client;

/** What a transport reports about one connection. Calls for one connection never overlap. */
public interface WsListener {
    void onOpen(WsConnection connection);

    void onConnectFailed(Throwable error);

    /** One complete text message. */
    void onText(String text);

    /** @param code the close code received, or -1 when the connection broke without one */
    void onClosed(int code);
}
