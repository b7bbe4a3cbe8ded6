package io.pushfabric.connector.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapPressureTest {
    private static final MemoryUsage EDEN_UNBOUNDED = new MemoryUsage(0, 0, 0, -1);

    @Test
    void pressureWhenAPoolStaysAboveItsShareAfterGc() {
        assertThat(new HeapPressure(90, () -> List.of(EDEN_UNBOUNDED, usage(91, 100))).getAsBoolean()).isTrue();
        assertThat(new HeapPressure(90, () -> List.of(EDEN_UNBOUNDED, usage(90, 100))).getAsBoolean()).isFalse();
    }

    @Test
    void aHundredPercentTurnsSheddingOff() {
        assertThat(new HeapPressure(100, () -> List.of(usage(100, 100))).getAsBoolean()).isFalse();
    }

    @Test
    void noGcYetIsNoPressure() {
        assertThat(new HeapPressure(50, () -> List.of(usage(0, 100))).getAsBoolean()).isFalse();
    }

    @Test
    void onlyTheOldGenerationCountsNotAFullSurvivorSpace() {
        assertThat(HeapPressure.isLongLived("G1 Old Gen")).isTrue();
        assertThat(HeapPressure.isLongLived("PS Old Gen")).isTrue();
        assertThat(HeapPressure.isLongLived("Tenured Gen")).isTrue();
        assertThat(HeapPressure.isLongLived("Survivor Space")).isFalse();
        assertThat(HeapPressure.isLongLived("G1 Survivor Space")).isFalse();
        assertThat(HeapPressure.isLongLived("Eden Space")).isFalse();
    }

    @Test
    void thisJvmHasAnOldGenerationToWatch() {
        assertThat(java.lang.management.ManagementFactory.getMemoryPoolMXBeans())
                .anySatisfy(p -> assertThat(HeapPressure.isLongLived(p.getName())).isTrue());
    }

    private static MemoryUsage usage(long used, long max) {
        return new MemoryUsage(0, used, max, max);
    }
}
