package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

class InMemoryPresenceRegistryTest extends PresenceRegistryContract {
    private final MutableClock clock = new MutableClock();

    @Override
    protected PresenceRegistry newRegistry() {
        return new InMemoryPresenceRegistry(clock);
    }

    @Override
    protected Duration shortGrace() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected void pass(Duration grace, BooleanSupplier condition) {
        clock.advance(grace);
        assertThat(condition.getAsBoolean()).as("condition after %s", grace).isTrue();
    }
}
