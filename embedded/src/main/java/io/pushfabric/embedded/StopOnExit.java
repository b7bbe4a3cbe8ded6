package io.pushfabric.embedded;

/**
 * Stops a group of child processes when the JVM exits without closing it (a test that fails before its
 * try-with-resources ends, a Surefire fork that is shut down): redis-server children would outlive it.
 * {@link #cancel()} on a normal close removes the hook again.
 */
final class StopOnExit {
    private final Thread hook;

    StopOnExit(String name, AutoCloseable group) {
        this.hook = new Thread(() -> {
            try {
                group.close();
            } catch (Exception e) {
                // The JVM is exiting; nothing left to tell.
            }
        }, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    void cancel() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or about to.
        }
    }
}
