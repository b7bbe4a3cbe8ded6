package io.pushfabric.loadtest.measure;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Opens CPU windows over the watched processes and closes them into a {@link CpuCost}. */
public final class CpuMeter {
    private final List<Watched> processes;
    private final Set<String> fabric;

    /**
     * @param processes every watched process, the load generator included
     * @param fabric    those that make up the fabric (Kafka, Redis, dispatchers, connectors)
     */
    public CpuMeter(List<Watched> processes, List<Watched> fabric) {
        this.processes = List.copyOf(processes);
        this.fabric = fabric.stream().map(Watched::name).collect(Collectors.toUnmodifiableSet());
    }

    /** A window opened now. */
    public Window open() {
        return new Window(ProcFs.cpuTicks(processes), System.nanoTime());
    }

    /** CPU readings at the start of a window. */
    public final class Window {
        private final Map<String, Long> ticks;
        private final long startNanos;

        private Window(Map<String, Long> ticks, long startNanos) {
            this.ticks = ticks;
            this.startNanos = startNanos;
        }

        /** The CPU spent from the opening until now, per delivery of the {@code delivered} made in between. */
        public CpuCost close(long delivered) {
            double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
            return CpuCost.of(ticks, ProcFs.cpuTicks(processes), fabric, seconds, delivered, ProcFs.TICKS_PER_SECOND);
        }
    }
}
