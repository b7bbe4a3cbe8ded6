package io.pushfabric.connector.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code pushfabric.connector.upgrades.refused{reason}}, {@code pushfabric.connector.limit.closed{reason}},
 * {@code pushfabric.connector.connections} and {@code pushfabric.connector.memory.shedding}.
 */
public final class LimitMetrics {
    private final Map<Refusal.Reason, Counter> refused = new EnumMap<>(Refusal.Reason.class);
    private final Counter frameTooBig;
    private final Counter frameRate;

    public LimitMetrics(MeterRegistry registry, ConnectionSlots slots, HeapPressure memory) {
        for (Refusal.Reason reason : Refusal.Reason.values()) {
            refused.put(reason, Counter.builder("pushfabric.connector.upgrades.refused").tag("reason", reason.tag())
                    .description("Upgrades refused by a limit, by reason").register(registry));
        }
        this.frameTooBig = closed(registry, "frame_too_big");
        this.frameRate = closed(registry, "frame_rate");
        Gauge.builder("pushfabric.connector.connections", slots, ConnectionSlots::used)
                .description("Open and opening WebSocket connections, as counted against PUSH_MAX_CONNECTIONS")
                .register(registry);
        Gauge.builder("pushfabric.connector.memory.shedding", memory, m -> m.getAsBoolean() ? 1 : 0)
                .description("1 while heap pressure sheds new upgrades").register(registry);
    }

    private static Counter closed(MeterRegistry registry, String reason) {
        return Counter.builder("pushfabric.connector.limit.closed").tag("reason", reason)
                .description("Connections closed for breaking a per-connection limit").register(registry);
    }

    void refused(Refusal.Reason reason) {
        refused.get(reason).increment();
    }

    public double refusedCount(Refusal.Reason reason) {
        return refused.get(reason).count();
    }

    public void frameTooBig() {
        frameTooBig.increment();
    }

    public void frameRateExceeded() {
        frameRate.increment();
    }
}
