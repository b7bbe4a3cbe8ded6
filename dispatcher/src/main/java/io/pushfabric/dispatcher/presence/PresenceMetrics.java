package io.pushfabric.dispatcher.presence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pushfabric.contracts.PresenceEvent;

/** What the dispatcher counts about presence; names in {@code docs/operations.md}. */
public final class PresenceMetrics {
    private final Counter online;
    private final Counter offline;
    private final Counter droppedFull;
    private final Counter droppedKafka;
    final Counter checks;
    final Counter failures;

    public PresenceMetrics(MeterRegistry registry) {
        this.online = event(registry, "online");
        this.offline = event(registry, "offline");
        this.droppedFull = dropped(registry, "full");
        this.droppedKafka = dropped(registry, "kafka");
        this.checks = Counter.builder("pushfabric.presence.checks")
                .description("Presence checks made (one per due user)").register(registry);
        this.failures = Counter.builder("pushfabric.presence.failures")
                .description("Presence passes that failed (Redis unavailable); retried on the next pass")
                .register(registry);
    }

    private static Counter event(MeterRegistry registry, String state) {
        return Counter.builder("pushfabric.presence.events").tag("state", state)
                .description("Presence events acknowledged by Kafka").register(registry);
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("pushfabric.presence.dropped").tag("reason", reason)
                .description("Presence events recorded but not published: full = too many unacknowledged, "
                        + "kafka = Kafka refused or timed out").register(registry);
    }

    void published(PresenceEvent.State state) {
        (state == PresenceEvent.State.ONLINE ? online : offline).increment();
    }

    void droppedFull() {
        droppedFull.increment();
    }

    void droppedKafka() {
        droppedKafka.increment();
    }

    public double count(String name, String tag) {
        return switch (name) {
            case "events" -> tag.equals("online") ? online.count() : offline.count();
            case "dropped" -> tag.equals("full") ? droppedFull.count() : droppedKafka.count();
            default -> throw new IllegalArgumentException("no presence metric " + name);
        };
    }
}
