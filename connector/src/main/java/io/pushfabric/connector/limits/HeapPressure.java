package io.pushfabric.connector.limits;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * True while the heap is nearly full of live data: some heap pool that the collector reports on after
 * each GC (the old generation) was still above {@code percent} of its maximum after the last collection.
 * Heap used <em>after</em> GC, not heap used now, which is high in every healthy JVM just before a
 * collection. The node then sheds new upgrades (503) so that the sessions it holds keep their memory.
 */
public final class HeapPressure implements BooleanSupplier {
    private final int percent;
    private final Supplier<List<MemoryUsage>> afterLastGc;

    /** Reads this JVM's heap pools. */
    public HeapPressure(int percent) {
        this(percent, HeapPressure::heapPoolsAfterGc);
    }

    HeapPressure(int percent, Supplier<List<MemoryUsage>> afterLastGc) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("percent must be between 1 and 100, not " + percent);
        }
        this.percent = percent;
        this.afterLastGc = afterLastGc;
    }

    @Override
    public boolean getAsBoolean() {
        if (percent == 100) {
            return false;
        }
        for (MemoryUsage usage : afterLastGc.get()) {
            if (usage != null && usage.getMax() > 0 && usage.getUsed() * 100 > usage.getMax() * percent) {
                return true;
            }
        }
        return false;
    }

    private static List<MemoryUsage> heapPoolsAfterGc() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
                .map(MemoryPoolMXBean::getCollectionUsage)
                .toList();
    }
}
