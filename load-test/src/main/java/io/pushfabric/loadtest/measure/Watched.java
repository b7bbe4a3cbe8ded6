package io.pushfabric.loadtest.measure;

/** A process whose CPU and memory the monitor samples: a service, Redis, Kafka, or the load generator itself. */
public record Watched(String name, long pid) {
    public Watched {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a watched process needs a name");
        }
        if (pid <= 0) {
            throw new IllegalArgumentException("bad pid " + pid + " for " + name);
        }
    }
}
