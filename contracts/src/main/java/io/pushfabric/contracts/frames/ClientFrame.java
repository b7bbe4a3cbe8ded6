package io.pushfabric.contracts.frames;

/** A text frame a client sends. Today only an application-level ping; anything else is an error. */
public sealed interface ClientFrame {
    record Ping() implements ClientFrame {
    }
}
