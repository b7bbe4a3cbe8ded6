package io.pushfabric.connector.limits;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * True while the heap is nearly full of live data: the old generation was still above {@code percent} of
 * its maximum after the last collection that reported on it.
 * Heap used <em>after</em> GC, not heap used now, which is high in every healthy JVM just before a
 * collection. The node then sheds new upgrades (503) so that the sessions it holds keep their memory.
 */
public final class HeapPressure implements BooleanSupplier {
    private final int percent;
    private final Supplier<List<MemoryUsage>> afterLastGc;

    /** Reads this JVM's heap pools. */
    public HeapPressure(int percent) {
        this(percent, afterGc(longLivedPools()));
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

    /**
     * The pools are looked up once: every upgrade asks, and listing the JVM's pool beans each time cost about
     * 5 % of a connect's CPU (JFR, 10,000 connects).
     */
    private static List<MemoryPoolMXBean> longLivedPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
                        && isLongLived(p.getName()))
                .toList();
    }

    private static Supplier<List<MemoryUsage>> afterGc(List<MemoryPoolMXBean> pools) {
        return () -> {
            List<MemoryUsage> usage = new ArrayList<>(pools.size());
            for (MemoryPoolMXBean pool : pools) {
                usage.add(pool.getCollectionUsage());
            }
            return usage;
        };
    }

    /**
     * The pools that hold long-lived objects, by the names the JVMs give them (as Micrometer's JVM metrics
     * tell them apart). Eden and survivor spaces are left out: a survivor space is often full right after
     * a young collection, which says nothing about live data.
     */
    static boolean isLongLived(String pool) {
        return pool.endsWith("Old Gen") // G1, Parallel
                || pool.endsWith("Tenured Gen") // Serial
                || pool.contains("tenured") // OpenJ9
                || pool.equals("ZHeap") || pool.equals("ZGC Old Generation") || pool.equals("Shenandoah");
    }
}
