package io.pushfabric.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.registry.DedupeWindow.Claim;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class InMemoryDedupeWindowTest extends DedupeWindowContract {
    private final MutableClock clock = new MutableClock();

    @Override
    protected DedupeWindow newWindow() {
        return new InMemoryDedupeWindow(clock);
    }

    @Override
    protected Duration shortWindow() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected void lapse(Duration ttl, BooleanSupplier condition) {
        clock.advance(ttl);
        assertThat(condition.getAsBoolean()).as("condition after %s", ttl).isTrue();
    }

    @Test
    void repeatClaimDoesNotExtendTheWindow() {
        window.claim(List.of(new Claim(ALICE, "m1", P0_1)), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        window.claim(List.of(new Claim(ALICE, "m1", P0_1)), Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(1));

        assertThat(window.owner(ALICE, "m1")).isNull();
    }
}
