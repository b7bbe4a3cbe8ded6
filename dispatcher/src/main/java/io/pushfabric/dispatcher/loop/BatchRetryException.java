package io.pushfabric.dispatcher.loop;

/** A batch hit a transient failure: nothing of it may be committed; the loop rewinds and retries it. */
public final class BatchRetryException extends RuntimeException {
    public BatchRetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
