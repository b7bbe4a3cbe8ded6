package io.pushfabric.connector.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushfabric.contracts.UserId;
import org.junit.jupiter.api.Test;

class ConnectionSlotsTest {
    private static final UserId ALICE = UserId.of("alice");
    private final ConnectionSlots slots = new ConnectionSlots(3, 2);

    @Test
    void theNodeIsFullAtItsLimitAndFreeAgainAfterARelease() {
        ConnectionSlots.Slot first = slots.tryReserve();
        slots.tryReserve();
        slots.tryReserve();
        assertThat(slots.isFull()).isTrue();
        assertThat(slots.tryReserve()).isNull();
        first.release();
        first.release();
        assertThat(slots.used()).isEqualTo(2);
        assertThat(slots.tryReserve()).isNotNull();
    }

    @Test
    void theNewestSessionOfAUserOverTheLimitIsRefusedAndTheOldOnesKept() {
        ConnectionSlots.Slot one = slots.tryReserve();
        ConnectionSlots.Slot two = slots.tryReserve();
        ConnectionSlots.Slot three = slots.tryReserve();
        assertThat(one.claimFor(ALICE)).isTrue();
        assertThat(two.claimFor(ALICE)).isTrue();
        assertThat(three.claimFor(ALICE)).isFalse();
        assertThat(three.claimFor(UserId.of("bob"))).isTrue();
        assertThat(slots.sessionsOf(ALICE)).isEqualTo(2);
        one.release();
        assertThat(slots.sessionsOf(ALICE)).isEqualTo(1);
    }
}
