package io.pushfabric.contracts.frames;

/** A client frame the server cannot accept; answered with an error frame, never a crash. */
public final class BadFrameException extends Exception {
    public BadFrameException(String message) {
        super(message);
    }
}
