package io.pushfabric.registry;

/**
 * The registry's store could not be reached or did not answer in time (Redis down, a timeout, a failover):
 * the call may succeed if retried later. Callers retry with backoff; nothing about the data is wrong.
 */
public final class TransientRegistryException extends RuntimeException {
    public TransientRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
