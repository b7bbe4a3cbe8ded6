package io.pushfabric.contracts.frames;

/** A text frame a client sends: an application-level ping, or a fresh token. Anything else is an error. */
public sealed interface ClientFrame {
    record Ping() implements ClientFrame {
    }

    /** A fresh token for the same user, sent before the session's token expires, keeps the session open. */
    record Refresh(String token) implements ClientFrame {
    }
}
