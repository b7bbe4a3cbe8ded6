package io.pushfabric.connector.limits;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;

/** Everything the WebSocket edge enforces, built once from {@link LimitSettings}. */
public record EdgeLimits(UpgradeGate gate, ClientAddress addresses, FrameLimits frames) {
    public EdgeLimits {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(frames, "frames");
    }

    public static EdgeLimits create(LimitSettings settings, MeterRegistry meters, Clock clock) {
        ConnectionSlots slots = new ConnectionSlots(settings.maxConnections(), settings.maxSessionsPerUser());
        HeapPressure memory = new HeapPressure(settings.memoryShedPercent());
        LimitMetrics metrics = new LimitMetrics(meters, slots, memory);
        return new EdgeLimits(new UpgradeGate(settings, slots, memory, metrics, clock),
                new ClientAddress(settings.trustedProxies()), new FrameLimits(settings, metrics, clock));
    }
}
